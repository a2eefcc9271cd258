/**
 * EventBridge delivers at least once. The same event delivered three times, one after another or
 * at the same time, has one effect and three equal outcomes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;

beforeAll(async () => {
  gw = await startGateway();
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());
beforeEach(async () => {
  await vendors.reset();
  await gw.call('PUT', '/v1/drivers/E-1001/links', {
    body: { samsara: { id: '123' }, drivequant: { userId: 'susan-jones' }, chargeapi: { driver: 'drv_susan', fleets: ['flt_east', 'flt_west'] } },
  });
});

/** Delivers like Lambda's asynchronous retries: a failed invocation is delivered again. */
const deliverUntilHandled = async (entry: Record<string, unknown>, attempts = 10) => {
  for (let i = 0; i < attempts; i += 1) {
    const reply = await gw.event(entry);
    if (reply.body.invocation === 'succeeded') return reply.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('never handled');
};

describe('redelivery', () => {
  it('a vendor operation delivered three times: one vendor call, ChargeAPI applies it once, three equal outcomes, the repeats marked replayed', async () => {
    const entry = { id: `evt-detach-${Date.now()}`, 'detail-type': 'chargeapi.detachDriver', source: 'driver-gateway.requests', detail: { driver: 'drv_susan', fleet: 'flt_east' } };
    const before = (await vendors.requests('chargeapi')).length;
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push((await deliverUntilHandled(entry)).outcomes[0].detail);
    expect(gw.simulators.contracts.chargeapi.appliedWrites()).toBe(1);
    expect((await vendors.requests('chargeapi')).length - before).toBe(1);
    expect(new Set(outcomes.map((o) => JSON.stringify({ ...o, correlationId: undefined, replayed: undefined }))).size).toBe(1);
    expect(outcomes.map((o) => o.replayed)).toEqual([undefined, true, true]);
    expect(outcomes[0]).toMatchObject({ outcome: 'succeeded', status: 200, result: { fleets: ['flt_west'] } });
  });

  it('an event replayed from the archive is deduplicated by its idempotency record', async () => {
    const entry = { id: `evt-replay-${Date.now()}`, 'detail-type': 'drivers.setStatus', source: 'driver-gateway.requests', detail: { driverId: 'E-1001', status: 'inactive' } };
    const original = await deliverUntilHandled(entry);
    const calls = (await vendors.requests('samsara')).length + (await vendors.requests('drivequant')).length;
    const replayed = await deliverUntilHandled({ ...entry, 'replay-name': 'hr-2026-11-24-0900' });
    expect(replayed.outcomes[0].detail.result).toEqual(original.outcomes[0].detail.result);
    expect((await vendors.requests('samsara')).length + (await vendors.requests('drivequant')).length).toBe(calls);
  });

  it('a driver operation delivered three times at once: one effect, three equal outcomes', async () => {
    const entry = { id: `evt-offboard-${Date.now()}`, 'detail-type': 'drivers.offboard', source: 'driver-gateway.requests', detail: { driverId: 'E-1001' } };
    const results = await Promise.all([deliverUntilHandled(entry), deliverUntilHandled(entry), deliverUntilHandled(entry)]);
    const details = results.map((r) => r.outcomes[0].detail);
    expect(details.map((d) => d.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(new Set(details.map((d) => JSON.stringify(d.result))).size).toBe(1);
    expect((await vendors.requests('samsara')).length).toBe(1);
    expect((await vendors.requests('drivequant')).length).toBe(1);
    expect(gw.simulators.contracts.chargeapi.appliedWrites()).toBe(2);
    expect((await vendors.requests('chargeapi')).length).toBe(2);
  });
});
