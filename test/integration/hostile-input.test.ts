/**
 * Random and adversarial input into every route and every EventBridge detail: never a 5xx, always
 * a problem document, never a vendor call for refused input, no crash, no prototype pollution.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../functions/registry';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
const RUNS = 40;

beforeAll(async () => {
  gw = await startGateway();
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());

const vendorCalls = (): Promise<number> => vendors.totalRequests();

/** Fills a route template with a plausible value per parameter, so bodies reach validation. */
const concretePath = (template: string): string =>
  template.replace('{id}', '123').replace('{userId}', 'susan-jones').replace('{driver}', 'drv_susan').replace('{driverId}', 'E-hostile');

const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

const adversarial: string[] = [
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"name":"\\ud800","status":"\\udfff"}',
  `{"name":${deep(5000)}}`,
  deep(20000),
  '{"deactivatedAtTime":"275760-09-13T00:00:00.001Z","driverActivationStatus":"deactivated"}',
  '{"dob":"0000-00-00","identifiers":{"driver_number":"x"},"driver":{"dob":"9999-99-99"}}',
  '{"effectiveAt":"-271821-04-20T00:00:00Z","status":"inactive"}',
  `{"name":"${'x'.repeat(300_000)}"}`,
  '[]',
  'null',
  '"string"',
  '1e400',
  '{"a":1,"a":2}',
  '{"status":"ENABLE","status":"DISABLE","extra":null}',
];

const requestAll = async (method: string, path: string, raw: string) => {
  const reply = await gw.call(method, path, { raw });
  return reply;
};

const expectProblem = (reply: { status: number; headers: Headers; body: any }) => {
  expect(reply.status).toBeLessThan(500);
  if (reply.status >= 400) {
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ type: expect.stringMatching(/^urn:driver-gateway:problem:/), status: reply.status, title: expect.any(String), detail: expect.any(String) });
  }
};

describe.each(registry.filter((entry) => entry.operation.body).map((entry) => [entry.operation.name, entry] as const))('%s', (_name, entry) => {
  const path = concretePath(entry.operation.path);

  it('random JSON bodies are refused with a problem and reach no vendor', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const before = await vendorCalls();
        const reply = await requestAll(entry.operation.method, path, JSON.stringify(value));
        expectProblem(reply);
        if (reply.status === 400) expect(await vendorCalls()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('adversarial bodies and a 2 MB body never cause a 5xx', async () => {
    for (const raw of [...adversarial, JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) })]) {
      const before = await vendorCalls();
      const reply = await requestAll(entry.operation.method, path, raw);
      expectProblem(reply);
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(await vendorCalls()).toBe(before);
    }
  });

  it('random EventBridge details are refused as failed outcomes without a retry or a vendor call', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), async (detail) => {
        const before = await vendorCalls();
        const reply = await gw.event({ 'detail-type': entry.operation.name, source: 'driver-gateway.requests', detail });
        // Never a failed invocation (Lambda would retry and dead-letter it) and never a 5xx outcome.
        expect(reply.body.invocation).toBe('succeeded');
        expect(reply.body.outcomes).toHaveLength(1);
        expect(reply.body.outcomes[0].detail.status).toBeLessThan(500);
        if (reply.body.outcomes[0].detail.status === 400) expect(await vendorCalls()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('after all of it', () => {
  it('no prototype was polluted and the gateway still answers', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const reply = await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'ENABLE' } });
    expect(reply.status).toBe(200);
  });
});
