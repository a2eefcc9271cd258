/** The four vendor operations end to end: runner → handler → real SDK → simulators, every status in the mapping. */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
const problem = (slug: string) => `urn:driver-gateway:problem:${slug}`;
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

beforeAll(async () => {
  gw = await startGateway();
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());
beforeEach(() => vendors.reset());

describe('samsara.updateDriver', () => {
  it('updates by external id, encoded or not, and returns Samsara own body', async () => {
    for (const id of ['payrollId:ABFS18600', 'payrollId%3AABFS18600']) {
      const reply = await gw.call('PATCH', `/v1/providers/samsara/drivers/${id}`, { body: { name: 'Susan B. Jones', phone: '5558234399' } });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/json');
      expect(reply.body.data).toMatchObject({ id: '123', name: 'Susan B. Jones', phone: '5558234399' });
    }
    const [request] = (await vendors.requests('samsara')).slice(-1);
    expect(request.headers['x-samsara-version']).toBe('2025-10-23');
  });

  it('deactivates with deactivatedAtTime and reactivates', async () => {
    const off = await gw.call('PATCH', '/v1/providers/samsara/drivers/456', { body: { driverActivationStatus: 'deactivated', deactivatedAtTime: yesterday() } });
    expect(off.status).toBe(200);
    expect(off.body.data.driverActivationStatus).toBe('deactivated');
    const on = await gw.call('PATCH', '/v1/providers/samsara/drivers/456', { body: { driverActivationStatus: 'active' } });
    expect(on.body.data.driverActivationStatus).toBe('active');
  });

  it('400 names every bad field and never calls Samsara', async () => {
    const reply = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', {
      body: { username: 'susan jones', locale: 'xx', usDriverRulesetOverride: { cycle: 'USA Property (8/70)' }, colour: 'blue' },
    });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ type: problem('validation-error'), title: expect.any(String), status: 400, detail: expect.any(String) });
    const paths = reply.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.username', 'body.locale', 'body.usDriverRulesetOverride.restart', 'body.colour']));
    expect(await vendors.requests('samsara')).toHaveLength(0);
  });

  it('404 when Samsara does not know the driver', async () => {
    const reply = await gw.call('PATCH', '/v1/providers/samsara/drivers/999', { body: { name: 'X' } });
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ type: problem('vendor-not-found'), vendor: { name: 'samsara', status: 404, requestId: expect.any(String) } });
  });

  it('422 when Samsara refuses our well-formed input (username taken)', async () => {
    const reply = await gw.call('PATCH', '/v1/providers/samsara/drivers/456', { body: { username: 'SusanJones' } });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ type: problem('vendor-rejected'), vendor: { name: 'samsara', status: 400, message: expect.any(String) } });
  });
});

describe('drivequant.setDriverStatus', () => {
  it('disables and enables', async () => {
    const reply = await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'DISABLE' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'DISABLE' });
    const [request] = (await vendors.requests('drivequant')).slice(-1);
    expect(request.headers['drivekit-admin-api-key']).toBeDefined();
  });

  it('400 on a status outside ENABLE|DISABLE; 404 for an unknown user', async () => {
    expect((await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'enabled' } })).status).toBe(400);
    const missing = await gw.call('PUT', '/v1/providers/drivequant/drivers/nobody/status', { body: { status: 'ENABLE' } });
    expect(missing.status).toBe(404);
    expect(missing.body.vendor).toMatchObject({ name: 'drivequant', status: 404, message: expect.stringContaining('Not Found') });
  });
});

describe('chargeapi.detachDriver', () => {
  it('detaches, returning the updated Driver object', async () => {
    const reply = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: 'drv_susan', object: 'driver', fleets: ['flt_west'] });
  });

  it('sends an Idempotency-Key derived from the caller key; a client retry is replayed by the gateway, marked so', async () => {
    const headers = { 'idempotency-key': 'hr-4711-detach-east' };
    const first = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers });
    const retry = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const keys = (await vendors.requests('chargeapi')).map((r: { headers: Record<string, string> }) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^dg-[0-9a-f]{64}$/);
  });

  it('409 when the driver is not in that fleet; 404 for an unknown driver; 400 for a bad fleet id', async () => {
    const conflict = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_north' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.vendor).toMatchObject({ name: 'chargeapi', code: 'driver_fleet_conflict', requestId: expect.stringMatching(/^req_/) });
    expect((await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_nobody/detach', { body: { fleet: 'flt_east' } })).status).toBe(404);
    const bad = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'east' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.fleet');
  });
});

describe('focus.updateDriver', () => {
  it('updates, adds fleet_token from the secret and sends only the fields the caller set', async () => {
    const reply = await gw.call('POST', '/v1/providers/focus/drivers/update', {
      body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'Wilkes-Barre', middle_name: null } },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ success: true });
    const [request] = (await vendors.requests('focus')).slice(-1);
    expect(request.body.driver).toEqual({ city: 'Wilkes-Barre', middle_name: '' });
    expect(request.body.fleet_token).toBeDefined();
    expect(request.headers.authorization).toBeDefined();
  });

  it('a caller may not send fleet_token', async () => {
    const reply = await gw.call('POST', '/v1/providers/focus/drivers/update', {
      body: { fleet_token: 'mine', identifiers: { driver_number: 'D-1001' }, driver: { city: 'X' } },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path: 'body.fleet_token', message: 'Unknown field' }]);
  });

  it('404 for NoDriver, 409 for MultipleDriversFound', async () => {
    const none = await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-9999' }, driver: { city: 'X' } } });
    expect(none.status).toBe(404);
    expect(none.body.vendor).toMatchObject({ name: 'focus', code: 'NoDriver' });
    const many = await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { custom_identifier_1: 'shared-card' }, driver: { city: 'X' } } });
    expect(many.status).toBe(409);
    expect(many.body.vendor).toMatchObject({ name: 'focus', code: 'MultipleDriversFound' });
  });
});

describe('HTTP edges', () => {
  it('malformed JSON 400, wrong content type 415, body over 1 MB 413', async () => {
    const path = '/v1/providers/drivequant/drivers/susan-jones/status';
    const malformed = await gw.call('PUT', path, { raw: '{"status":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe(problem('malformed-json'));
    const text = await gw.call('PUT', path, { raw: 'status=ENABLE', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(text.status).toBe(415);
    const huge = await gw.call('PUT', path, { raw: JSON.stringify({ status: 'ENABLE', pad: 'x'.repeat(1_100_000) }) });
    expect(huge.status).toBe(413);
    expect(await vendors.requests('drivequant')).toHaveLength(0);
  });

  it('unknown route 404, wrong method 405 with Allow', async () => {
    const unknown = await gw.call('GET', '/v1/providers/hubspot/drivers/1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe(problem('not-found'));
    const wrong = await gw.call('DELETE', '/v1/providers/samsara/drivers/123');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('PATCH');
  });

  it('passes a safe caller correlation id through and replaces an unsafe one', async () => {
    const ok = await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'ENABLE' }, headers: { 'x-correlation-id': 'hr-run-42' } });
    expect(ok.headers.get('x-correlation-id')).toBe('hr-run-42');
    const unsafe = await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'ENABLE' }, headers: { 'x-correlation-id': 'a b<script>' } });
    expect(unsafe.headers.get('x-correlation-id')).not.toBe('a b<script>');
  });

  it('serves an OpenAPI 3.1 document with every registry route', async () => {
    const reply = await gw.call('GET', '/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.1.0');
    expect(reply.body.paths['/v1/providers/samsara/drivers/{id}'].patch.operationId).toBe('samsara.updateDriver');
    expect(reply.body.paths['/v1/providers/focus/drivers/update'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('identifiers');
  });

  it('logs one structured line per request', async () => {
    const before = gw.logs.length;
    await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'ENABLE' }, headers: { 'x-correlation-id': 'log-line-check' } });
    // The runner writes its line when the response has been flushed, which can be just after fetch resolves.
    await vi.waitFor(() => {
      const lines = gw.logs.slice(before).map((line) => JSON.parse(line));
      expect(lines.filter((l) => l.message === 'local request' && l.correlationId === 'log-line-check')).toHaveLength(1);
    });
  });
});

describe('EventBridge path', () => {
  it('runs a vendor operation from an event and publishes its outcome', async () => {
    const reply = await gw.event({ 'detail-type': 'drivequant.setDriverStatus', source: 'driver-gateway.requests', detail: { userId: 'furious-fred', status: 'DISABLE' } });
    expect(reply.status).toBe(200);
    expect(reply.body.invocation).toBe('succeeded');
    expect(reply.body.outcomes).toEqual([
      expect.objectContaining({ source: 'driver-gateway', detailType: 'Operation Succeeded', detail: expect.objectContaining({ operation: 'drivequant.setDriverStatus', status: 200, result: { userId: 'furious-fred', status: 'DISABLE' } }) }),
    ]);
  });

  it('accepts detail as a JSON string, as PutEvents sends it', async () => {
    const reply = await gw.event({ 'detail-type': 'chargeapi.detachDriver', source: 'driver-gateway.requests', detail: JSON.stringify({ driver: 'drv_susan', fleet: 'flt_west' }) });
    expect(reply.body.outcomes[0].detail.result.fleets).toEqual(['flt_east']);
  });

  it('an invalid detail is reported as an Operation Failed outcome, without a vendor call or a retry', async () => {
    const reply = await gw.event({ 'detail-type': 'samsara.updateDriver', source: 'driver-gateway.requests', detail: { id: '123', nmae: 'typo' } });
    expect(reply.body.invocation).toBe('succeeded');
    expect(reply.body.outcomes[0]).toMatchObject({ detailType: 'Operation Failed', detail: { status: 400, problem: { errors: expect.arrayContaining([{ path: 'detail.nmae', message: 'Unknown field' }]) } } });
    expect(await vendors.requests('samsara')).toHaveLength(0);
  });

  it('an unknown detail-type matches no rule', async () => {
    expect((await gw.event({ 'detail-type': 'hubspot.sync', source: 'driver-gateway.requests', detail: {} })).status).toBe(404);
  });
});
