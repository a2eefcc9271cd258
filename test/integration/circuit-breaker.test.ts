/**
 * A vendor that keeps failing gets its circuit opened after THRESHOLD failed attempts (retries
 * count: each reached the vendor); the others carry on; one probe closes it again. The fleet-wide
 * side (several instances, one circuit) is in test/unit/vendor-gate.test.ts and bench:fleet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecretCache } from '../../functions/core/secrets';
import { loadLocalSecrets } from '../../local/secrets-file';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
const COOLDOWN_MS = 300;

beforeAll(async () => {
  gw = await startGateway({
    env: { VENDOR_CIRCUIT_THRESHOLD: '3', VENDOR_CIRCUIT_COOLDOWN_MS: String(COOLDOWN_MS), VENDOR_ATTEMPT_TIMEOUT_MS: '200', VENDOR_MAX_ATTEMPTS: '2', VENDOR_RETRY_BASE_MS: '5' },
  });
  vendors = vendorState(gw);
  await gw.call('PUT', '/v1/drivers/E-77/links', { body: { samsara: { id: '123' }, drivequant: { userId: 'susan-jones' } } });
});
afterAll(() => gw?.stop());

describe('circuit breaker', () => {
  it('opens after repeated failures, answers 503 at once, spares the other vendors, and closes after a good probe', async () => {
    gw.simulators.setFaults('samsara', '500:1');
    // Two attempts fail, then one more: the third failed attempt opens the circuit and the retry after it is not sent.
    for (let i = 0; i < 2; i += 1) expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'A' } })).status).toBe(502);
    const sent = (await vendors.requests('samsara')).length;
    expect(sent).toBe(3);

    const open = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'A' } });
    expect(open.status).toBe(503);
    expect(open.body).toMatchObject({ type: 'urn:driver-gateway:problem:vendor-circuit-open', vendor: { name: 'samsara' } });
    expect(open.headers.get('retry-after')).toBe('1');
    expect((await vendors.requests('samsara')).length).toBe(sent);
    expect(gw.logs.some((line) => line.includes('"VendorCircuitOpen":1'))).toBe(true);

    const fanOut = await gw.call('PUT', '/v1/drivers/E-77/status', { body: { status: 'inactive' } });
    expect(fanOut.status).toBe(207);
    expect(fanOut.body.results.samsara).toMatchObject({ outcome: 'failed', status: 503 });
    expect(fanOut.body.results.drivequant.outcome).toBe('succeeded');

    gw.simulators.setFaults('samsara', '');
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 50));
    expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Probe' } })).status).toBe(200);
    expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Closed' } })).status).toBe(200);
  });

  it('a probe that could not go (the secret was unreadable) gives its turn back: the next call probes at once', async () => {
    await gw.resetVendorGates();
    gw.simulators.setFaults('samsara', '500:1');
    for (let i = 0; i < 2; i += 1) await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'A' } });
    expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'A' } })).status).toBe(503);
    gw.simulators.setFaults('samsara', '');
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 50));

    // Half-open: this call takes the probe, then its secret cannot be read, so nothing is sent.
    const good = loadLocalSecrets().samsara;
    gw.aws.putSecret('driver-gateway/samsara', { notTheToken: true });
    clearSecretCache();
    const sent = (await vendors.requests('samsara')).length;
    expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'No secret' } })).status).toBe(500);
    expect((await vendors.requests('samsara')).length).toBe(sent);

    // Its lease (attempt timeout + 1 s) is not waited out: the next call is the probe, and closes the circuit.
    gw.aws.putSecret('driver-gateway/samsara', good);
    clearSecretCache();
    expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Probe again' } })).status).toBe(200);
  });

  it('a key rotation seen by many calls at once does not open the circuit: refused keys count only once a re-read could not fix them', async () => {
    await gw.resetVendorGates();
    await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Warm the cached key' } });
    const rotated = { apiToken: 'samsara-rotated-token-0123456789' };
    gw.aws.putSecret('driver-gateway/samsara', rotated);
    gw.simulators.setCredentials('samsara', rotated);
    const opensBefore = gw.logs.filter((line) => line.includes('"VendorCircuitOpen":1')).length;
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: `Rotated ${i}` } })));
    expect(replies.map((reply) => reply.status)).toEqual(Array(6).fill(200));
    expect(gw.logs.filter((line) => line.includes('"VendorCircuitOpen":1')).length).toBe(opensBefore);
  });

  it('keys the vendor keeps refusing after a re-read do count, once per call: the circuit opens', async () => {
    await gw.resetVendorGates();
    gw.simulators.setCredentials('samsara', { apiToken: 'a-key-the-gateway-does-not-have' });
    for (let i = 0; i < 3; i += 1) expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Refused' } })).status).toBe(502);
    expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Refused' } })).body).toMatchObject({ type: 'urn:driver-gateway:problem:vendor-circuit-open' });
    gw.simulators.setCredentials('samsara', loadLocalSecrets().samsara);
    gw.aws.putSecret('driver-gateway/samsara', loadLocalSecrets().samsara);
  });
});

