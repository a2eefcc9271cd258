/**
 * What the caller sees when vendors misbehave: transient faults absorbed by retries, persistent
 * ones as the documented problem naming the vendor, credentials re-read once after a rotation.
 * Small budgets keep the run short; the behaviour is the same with the production 20 s budget.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretReadCount } from '../../functions/core/secrets';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
const problem = (slug: string) => `urn:driver-gateway:problem:${slug}`;

beforeAll(async () => {
  gw = await startGateway({
    env: { VENDOR_ATTEMPT_TIMEOUT_MS: '250', VENDOR_BUDGET_MS: '2000', VENDOR_RETRY_BASE_MS: '10', VENDOR_RETRY_MAX_MS: '50' },
  });
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());
beforeEach(async () => {
  await vendors.reset();
  for (const vendor of ['samsara', 'drivequant', 'chargeapi', 'focus'] as const) gw.simulators.setFaults(vendor, '');
});

const disable = () => gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'DISABLE' } });
const rename = () => gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Susan Retry' } });
const detach = (key: string) => gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers: { 'idempotency-key': key } });

describe('transient faults are absorbed', () => {
  // DriveQuant's 429 says "Retry-After: 1"; one of those fits the 2 s test budget, two would not (see below).
  it.each(['503#2', '500#1', '502#1', '429#1', '429-no-retry-after#2', 'reset#2', 'garbage#1', 'timeout#1'])('drivequant %s then success → 200', async (fault) => {
    gw.simulators.setFaults('drivequant', fault);
    const reply = await disable();
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'DISABLE' });
  });

  it('ChargeAPI retries reuse one Idempotency-Key and the detach is applied once', async () => {
    gw.simulators.setFaults('chargeapi', 'reset#1,503#2');
    const reply = await detach('retry-once');
    expect(reply.status).toBe(200);
    const keys = new Set((await vendors.requests('chargeapi')).map((r: { headers: Record<string, string> }) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect(gw.simulators.contracts.chargeapi.appliedWrites()).toBe(1);
  });
});

describe('persistent faults end as the documented problem', () => {
  it('5xx after retries → 502 vendor-unavailable naming the vendor', async () => {
    gw.simulators.setFaults('samsara', '500:1');
    const reply = await rename();
    expect(reply.status).toBe(502);
    expect(reply.body).toMatchObject({ type: problem('vendor-unavailable'), vendor: { name: 'samsara', status: 500 } });
    expect((await vendors.requests('samsara')).length).toBe(4);
  });

  it('429 after retries → 503 with Retry-After', async () => {
    gw.simulators.setFaults('samsara', '429:1');
    const reply = await rename();
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(reply.body).toMatchObject({ type: problem('vendor-rate-limited'), vendor: { name: 'samsara', status: 429 } });
  });

  it('a Retry-After beyond the remaining budget answers 503 at once instead of sleeping into a timeout', async () => {
    gw.simulators.setFaults('drivequant', '429#2');
    const reply = await disable();
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect((await vendors.requests('drivequant')).length).toBe(2);
  });

  it('no answer → 504 vendor-timeout', async () => {
    gw.simulators.setFaults('drivequant', 'timeout:1');
    const reply = await disable();
    expect(reply.status).toBe(504);
    expect(reply.body).toMatchObject({ type: problem('vendor-timeout'), vendor: { name: 'drivequant' } });
  });

  it('connection resets → 502; an unreadable body → 502', async () => {
    gw.simulators.setFaults('focus', 'reset:1');
    const reset = await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'X' } } });
    expect(reset.status).toBe(502);
    gw.simulators.setFaults('focus', 'garbage:1');
    const garbage = await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'X' } } });
    expect(garbage.status).toBe(502);
    expect(garbage.body.vendor).toMatchObject({ name: 'focus', status: 200 });
  });
});

describe('credentials', () => {
  it('a vendor refusing our key is a 502, not the caller’s fault', async () => {
    gw.simulators.setCredentials('drivequant', { adminApiKey: 'rotated-on-vendor-side-only' });
    try {
      const reply = await disable();
      expect(reply.status).toBe(502);
      expect(reply.body).toMatchObject({ type: problem('vendor-authentication'), vendor: { name: 'drivequant', status: 401 } });
      expect(gw.logs.some((line) => line.includes('"VendorAuthenticationFailures":1'))).toBe(true);
    } finally {
      gw.simulators.setCredentials('drivequant', { adminApiKey: 'drivequant-demo-admin-key-0123456789' });
    }
  });

  it('after a rotation (secret and vendor updated, our cache stale) one re-read fixes it, concurrently too', async () => {
    await disable(); // warm the cache with the old key
    const rotated = { adminApiKey: 'drivequant-rotated-key-9876543210' };
    gw.aws.putSecret('driver-gateway/drivequant', rotated);
    gw.simulators.setCredentials('drivequant', rotated);
    const readsBefore = secretReadCount();
    const replies = await Promise.all(Array.from({ length: 10 }, () => disable()));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(secretReadCount() - readsBefore).toBe(1);
    gw.aws.putSecret('driver-gateway/drivequant', { adminApiKey: 'drivequant-demo-admin-key-0123456789' });
    gw.simulators.setCredentials('drivequant', { adminApiKey: 'drivequant-demo-admin-key-0123456789' });
  });

  it('a missing secret is our configuration error (500), and says which secret', async () => {
    gw.aws.putSecret('driver-gateway/focus', { username: 'only-user' });
    const { clearSecretCache } = await import('../../functions/core/secrets');
    clearSecretCache();
    const reply = await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'X' } } });
    expect(reply.status).toBe(500);
    expect(reply.body.type).toBe(problem('configuration-error'));
    expect(reply.body.detail).toContain('driver-gateway/focus');
    expect(reply.body.detail).not.toContain('only-user');
    gw.aws.putSecret('driver-gateway/focus', { username: 'demo-integration', password: 'demo-password-0123456789', fleetToken: 'demo-fleet-token-0123456789' });
    clearSecretCache();
  });
});
