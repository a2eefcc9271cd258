/** A bad HR export cannot deactivate the fleet: beyond the limit, deactivations wait for a confirmation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
const LIMIT = 3;

beforeAll(async () => {
  gw = await startGateway({ env: { MASS_CHANGE_LIMIT: String(LIMIT), MASS_CHANGE_WINDOW_SECONDS: '3600' } });
  vendors = vendorState(gw);
  for (let i = 1; i <= 6; i += 1) await gw.call('PUT', `/v1/drivers/M-${i}/links`, { body: { drivequant: { userId: 'susan-jones' } } });
});
afterAll(() => gw?.stop());

const deactivate = (i: number, headers: Record<string, string> = {}) => gw.call('PUT', `/v1/drivers/M-${i}/status`, { body: { status: 'inactive' }, headers });

describe('mass-change guard', () => {
  it('holds deactivations beyond the limit until confirmed, counting offboards too; activations pass', async () => {
    expect((await deactivate(1)).status).toBe(200);
    expect((await deactivate(2)).status).toBe(200);
    expect((await gw.call('POST', '/v1/drivers/M-3/offboard')).status).toBe(200);

    const sent = (await vendors.requests('drivequant')).length;
    const held = await deactivate(4);
    expect(held.status).toBe(428);
    expect(held.body).toMatchObject({ type: 'urn:driver-gateway:problem:mass-change-held' });
    expect(held.body.detail).toContain('X-Confirm-Mass-Change: 4');
    expect((await vendors.requests('drivequant')).length).toBe(sent);

    expect((await gw.call('PUT', '/v1/drivers/M-4/status', { body: { status: 'active' } })).status).toBe(200);

    expect((await deactivate(4, { 'x-confirm-mass-change': '4' })).status).toBe(200);
    // A confirmation covers the count it names, not every later deactivation.
    expect((await deactivate(5, { 'x-confirm-mass-change': '4' })).status).toBe(428);
    expect((await deactivate(5, { 'x-confirm-mass-change': 'many' })).status).toBe(400);
  });

  it('events are held too, as a failed outcome naming the confirmation; the confirmed event goes through', async () => {
    const held = await gw.event({ 'detail-type': 'drivers.setStatus', source: 'driver-gateway.requests', detail: { driverId: 'M-6', status: 'inactive' } });
    expect(held.body.invocation).toBe('succeeded');
    expect(held.body.outcomes[0]).toMatchObject({ detailType: 'Driver Operation Failed', detail: { status: 428, problem: { type: 'urn:driver-gateway:problem:mass-change-held' } } });
    const confirmed = await gw.event({ 'detail-type': 'drivers.setStatus', source: 'driver-gateway.requests', detail: { driverId: 'M-6', status: 'inactive', confirmMassChange: 6 } });
    expect(confirmed.body.outcomes[0].detailType).toBe('Driver Operation Succeeded');
  });
});
