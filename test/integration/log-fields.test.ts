/**
 * Log lines an AWS user can query: every line of an invocation carries the Lambda request id, the
 * cold-start flag, the X-Ray trace id and the correlation id (the names Powertools uses), and an
 * error keeps its stack and cause — scrubbed like everything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, setLogSink } from '../../functions/core/logger';
import { startGateway, type TestGateway } from './gateway';

let gw: TestGateway;
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

beforeAll(async () => {
  process.env._X_AMZN_TRACE_ID = TRACE;
  gw = await startGateway();
});
afterAll(async () => {
  delete process.env._X_AMZN_TRACE_ID;
  await gw?.stop();
});

const linesOf = (correlationId: string) =>
  gw.logs.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      // The functions' lines (they name their operation), not the local runner's request line.
      return parsed.correlationId === correlationId && parsed.operation && parsed.message ? [parsed] : [];
    } catch {
      return [];
    }
  });

describe('log fields', () => {
  it('every line of an invocation names its request, whether it was a cold start, its trace and its correlation id', async () => {
    const first = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Logs' }, headers: { 'x-correlation-id': 'corr-logs-1' } });
    expect(first.status).toBe(200);
    await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Logs' }, headers: { 'x-correlation-id': 'corr-logs-2' } });
    const [one, two] = [linesOf('corr-logs-1'), linesOf('corr-logs-2')];
    expect(one.length).toBeGreaterThan(1);
    for (const line of [...one, ...two]) {
      expect(line.function_request_id, JSON.stringify(line)).toEqual(expect.any(String));
      expect(line.xray_trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
      expect(typeof line.cold_start).toBe('boolean');
    }
    expect(new Set(one.map((line) => line.function_request_id)).size).toBe(1);
    expect(one[0]!.function_request_id).not.toBe(two[0]!.function_request_id);
    expect(two.every((line) => line.cold_start === false)).toBe(true);
  });

  it('an error is logged with its stack and its cause', () => {
    const lines: string[] = [];
    const previous = setLogSink((line) => lines.push(line));
    try {
      createLogger().error('failed', { error: new Error('outer', { cause: new TypeError('inner') }) });
    } finally {
      setLogSink(previous);
    }
    const { error } = JSON.parse(lines[0]!) as { error: { name: string; message: string; stack: string; cause: { name: string; message: string } } };
    expect(error).toMatchObject({ name: 'Error', message: 'outer', cause: { name: 'TypeError', message: 'inner' } });
    expect(error.stack).toContain('log-fields.test.ts');
  });
});
