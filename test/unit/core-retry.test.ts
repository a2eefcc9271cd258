import { describe, expect, it } from 'vitest';
import { fullJitterDelay, parseRetryAfter } from '../../functions/core/retry';

describe('backoff', () => {
  it('full jitter stays within [0, min(cap, base·2^attempt))', () => {
    expect(fullJitterDelay(0, 100, 2000, () => 0)).toBe(0);
    expect(fullJitterDelay(0, 100, 2000, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, 100, 2000, () => 0.999)).toBe(799);
    expect(fullJitterDelay(10, 100, 2000, () => 0.999)).toBe(1998);
  });
});

describe('Retry-After', () => {
  it('reads fractional and whole seconds and HTTP dates; ignores what it cannot read', () => {
    expect(parseRetryAfter('0.40235')).toBe(403);
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
