/**
 * A write whose result is unknown is reported as uncertain — never as succeeded or plainly
 * failed — with whether it is safe to retry and the idempotency key a retry must reuse.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;

beforeAll(async () => {
  gw = await startGateway({
    env: { VENDOR_ATTEMPT_TIMEOUT_MS: '150', VENDOR_BUDGET_MS: '1000', VENDOR_MAX_ATTEMPTS: '2', VENDOR_RETRY_BASE_MS: '5', VENDOR_CIRCUIT_THRESHOLD: '0' },
  });
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());
beforeEach(async () => {
  await vendors.reset();
  for (const vendor of ['samsara', 'drivequant', 'chargeapi', 'focus'] as const) gw.simulators.setFaults(vendor, '');
});

describe('uncertain outcomes', () => {
  it('a timed-out ChargeAPI detach is uncertain, retriable, and names the Idempotency-Key it used', async () => {
    gw.simulators.setFaults('chargeapi', 'timeout:1');
    const reply = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers: { 'idempotency-key': 'hr-uncertain-1' } });
    expect(reply.status).toBe(504);
    const sentKey = (await vendors.requests('chargeapi'))[0].headers['idempotency-key'];
    expect(reply.body).toMatchObject({ type: 'urn:driver-gateway:problem:vendor-timeout', outcome: 'uncertain', retriable: true, idempotencyKey: sentKey });

    // Retrying with the same caller key reuses the vendor key, so the write cannot happen twice.
    gw.simulators.setFaults('chargeapi', '');
    const retry = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers: { 'idempotency-key': 'hr-uncertain-1' } });
    expect(retry.status).toBe(200);
    expect((await vendors.requests('chargeapi')).at(-1).headers['idempotency-key']).toBe(sentKey);
  });

  it('a dropped connection after sending is uncertain too; an unreadable 2xx as well', async () => {
    gw.simulators.setFaults('samsara', 'reset:1');
    const reset = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Maybe' } });
    expect(reset.status).toBe(502);
    expect(reset.body).toMatchObject({ outcome: 'uncertain', retriable: true });
    gw.simulators.setFaults('samsara', 'garbage:1');
    const garbage = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Maybe' } });
    expect(garbage.body).toMatchObject({ outcome: 'uncertain' });
  });

  it('a refusal is a plain failure, not uncertain', async () => {
    gw.simulators.setFaults('samsara', '500:1');
    const reply = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'No' } });
    expect(reply.status).toBe(502);
    expect(reply.body.outcome).toBeUndefined();
  });

  it('in a fan-out the timed-out vendor is "uncertain", the others keep their own outcome', async () => {
    await gw.call('PUT', '/v1/drivers/E-U1/links', { body: { samsara: { id: '123' }, drivequant: { userId: 'susan-jones' } } });
    gw.simulators.setFaults('drivequant', 'timeout:1');
    const reply = await gw.call('PUT', '/v1/drivers/E-U1/status', { body: { status: 'inactive' } });
    expect(reply.status).toBe(207);
    expect(reply.body.results.samsara.outcome).toBe('succeeded');
    expect(reply.body.results.drivequant).toMatchObject({ outcome: 'uncertain', retriable: true, status: 504 });
  });

  it('a vendor that cannot be reached at all was sent nothing: failed, not uncertain', async () => {
    // A port that was just free: connecting is refused before anything is sent.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const down = await startGateway({ env: { SAMSARA_BASE_URL: `http://127.0.0.1:${port}`, VENDOR_MAX_ATTEMPTS: '1', VENDOR_CIRCUIT_THRESHOLD: '0' } });
    try {
      const reply = await down.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'X' } });
      expect(reply.status).toBe(502);
      expect(reply.body.detail).toContain('nothing was sent');
      expect(reply.body.outcome).toBeUndefined();
    } finally {
      await down.stop();
    }
  });
});
