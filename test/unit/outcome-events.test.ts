/** Outcome events: summaries, never a secret, always small enough for one EventBridge entry. */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_OUTCOME_DETAIL_BYTES, outcomeDetailJson, problemSummary } from '../../functions/core/outcome-events';
import { Problem } from '../../functions/core/problem';
import { forgetSecrets, rememberSecrets } from '../../functions/core/secret-scrubber';

afterEach(() => forgetSecrets());

const base = { operation: 'samsara.updateDriver', outcome: 'failed' as const, triggerEventId: 'e-1', correlationId: 'c-1', status: 502 };

describe('problemSummary', () => {
  it('keeps type, status, vendor ids and field paths; drops the vendor message and the detail text', () => {
    const problem = new Problem('vendor-rejected', 'samsara rejected the request. samsara said: licence E1234567 of Jane Roe is taken', {
      vendor: { name: 'samsara', status: 422, code: 'conflict', message: 'licence E1234567 of Jane Roe is taken', requestId: 'r-9' },
      errors: Array.from({ length: 30 }, (_, i) => ({ path: `body.tagIds[${i}]`, message: 'Too small' })),
      omittedErrors: 5,
    });
    const summary = problemSummary(problem.toJSON());
    expect(summary).toEqual({
      type: 'urn:driver-gateway:problem:vendor-rejected',
      title: problem.title,
      status: 422,
      vendor: { name: 'samsara', status: 422, code: 'conflict', requestId: 'r-9' },
      errors: problem.options.errors!.slice(0, 20),
      omittedErrors: 15,
    });
    expect(JSON.stringify(summary)).not.toContain('E1234567');
  });
});

describe('outcomeDetailJson', () => {
  it('scrubs remembered secrets from anything in the detail', () => {
    rememberSecrets(['samsara-live-token-4711']);
    const json = outcomeDetailJson({ ...base, result: { note: 'echo Bearer samsara-live-token-4711' } });
    expect(json).not.toContain('samsara-live-token-4711');
    expect(JSON.parse(json).result.note).toBe('echo Bearer [redacted]');
  });

  it('cuts a detail over the EventBridge limit to its summary and says so, instead of failing to publish', () => {
    const huge = { rows: Array.from({ length: 5_000 }, (_, i) => ({ i, text: 'x'.repeat(100) })) };
    const json = outcomeDetailJson({ ...base, result: huge, problem: problemSummary(new Problem('vendor-unavailable', 'down').toJSON()) });
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_OUTCOME_DETAIL_BYTES);
    const detail = JSON.parse(json);
    expect(detail).toMatchObject({ ...base, problem: { type: 'urn:driver-gateway:problem:vendor-unavailable', status: 502 }, truncated: { bytes: expect.any(Number) } });
    expect(detail.truncated.bytes).toBeGreaterThan(MAX_OUTCOME_DETAIL_BYTES);
    expect(detail.result).toBeUndefined();
  });

  it('leaves a detail that fits as it is', () => {
    const detail = { ...base, result: { id: '123' } };
    expect(JSON.parse(outcomeDetailJson(detail))).toEqual(detail);
  });
});
