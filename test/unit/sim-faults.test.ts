import { describe, expect, it } from 'vitest';
import { drawFault, parseFaults } from '../../local/simulators/faults';
import { parseRateLimits, TokenBucket } from '../../local/simulators/rate-limit';

const VENDORS = ['samsara', 'drivequant', 'chargeapi', 'focus'];

describe('SIMULATOR_FAULTS', () => {
  it('parses probabilities and counts per vendor', () => {
    const rules = parseFaults('samsara=429:0.3,drivequant=503:0.3,chargeapi=reset:0.3,focus=500#2,focus=timeout:1', VENDORS);
    expect(rules.get('samsara')).toEqual([{ kind: 429, probability: 0.3 }]);
    expect(rules.get('chargeapi')).toEqual([{ kind: 'reset', probability: 0.3 }]);
    expect(rules.get('focus')).toEqual([{ kind: 500, remaining: 2 }, { kind: 'timeout', probability: 1 }]);
  });

  it('refuses what it cannot honour, with the reason', () => {
    expect(() => parseFaults('hubspot=500:1', VENDORS)).toThrow(/unknown vendor/);
    expect(() => parseFaults('samsara=teapot:1', VENDORS)).toThrow(/unknown fault kind/);
    expect(() => parseFaults('samsara=500:1.5', VENDORS)).toThrow(/between 0 and 1/);
    expect(() => parseFaults('samsara=500', VENDORS)).toThrow(/vendor=kind/);
    expect(() => parseFaults('samsara=200:1', VENDORS)).toThrow(/unknown fault kind/);
  });

  it('uses up #count faults first, then draws probabilities', () => {
    const rules = parseFaults('samsara=500#2,samsara=429:0.5', VENDORS).get('samsara')!;
    expect(drawFault(rules, () => 0.9)).toBe(500);
    expect(drawFault(rules, () => 0.9)).toBe(500);
    expect(drawFault(rules, () => 0.9)).toBeUndefined();
    expect(drawFault(rules, () => 0.1)).toBe(429);
  });
});

describe('rate limits', () => {
  it('defaults to Samsara 150/s and conservative limits elsewhere; overridable', () => {
    expect(parseRateLimits(undefined)).toEqual({ samsara: 150, drivequant: 50, chargeapi: 100, focus: 20 });
    expect(parseRateLimits('focus=0,samsara=10')).toMatchObject({ focus: 0, samsara: 10 });
    expect(() => parseRateLimits('samsara=-1')).toThrow();
  });

  it('a token bucket allows a burst of its rate, then says how long to wait', () => {
    let now = 0;
    const bucket = new TokenBucket(150, () => now);
    for (let i = 0; i < 150; i += 1) expect(bucket.take('token').ok).toBe(true);
    const refused = bucket.take('token');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeCloseTo(1 / 150, 5);
    expect(bucket.take('other-token').ok).toBe(true);
    now += 1000 / 150;
    expect(bucket.take('token').ok).toBe(true);
  });
});
