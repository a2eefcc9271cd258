import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;

const susanLinks = {
  samsara: { id: 'payrollId:ABFS18600' },
  drivequant: { userId: 'susan-jones' },
  chargeapi: { driver: 'drv_susan', fleets: ['flt_east', 'flt_west'] },
  focus: { identifiers: { driver_number: 'D-1001' } },
};

const requestCount = (): Promise<number> => vendors.totalRequests();

beforeAll(async () => {
  gw = await startGateway();
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());
beforeEach(async () => {
  await vendors.reset();
  await gw.call('PUT', '/v1/drivers/E-1001/links', { body: susanLinks });
});

describe('driver links', () => {
  it('stores and reads back links, validated like everything else', async () => {
    const read = await gw.call('GET', '/v1/drivers/E-1001/links');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ driverId: 'E-1001', links: susanLinks });

    const bad = await gw.call('PUT', '/v1/drivers/E-1001/links', { body: { samsara: {}, chargeapi: { driver: 'susan' }, hubspot: {} } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.chargeapi.driver', 'body.hubspot', 'body.samsara.id']);

    expect((await gw.call('GET', '/v1/drivers/nobody/links')).status).toBe(404);
  });
});

describe('drivers.update', () => {
  it('fans one change out to Samsara and Focus and reports what each vendor skipped', async () => {
    const reply = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { firstName: 'Susan', lastName: 'Smith', email: 'susan.smith@example.com', timezone: 'America/New_York' } });
    expect(reply.status).toBe(200);
    expect(reply.body.results.samsara).toMatchObject({ outcome: 'succeeded', skipped: ['email'] });
    expect(reply.body.results.focus).toMatchObject({ outcome: 'succeeded', skipped: ['timezone'] });
    expect(reply.body.results.drivequant.outcome).toBe('skipped');
    expect(reply.body.results.chargeapi.outcome).toBe('skipped');

    expect(await vendors.samsaraDriver('123')).toMatchObject({ name: 'Susan Smith', timezone: 'America/New_York' });
    const focus = JSON.stringify(await vendors.focusDrivers());
    expect(focus).toContain('susan.smith@example.com');
  });

  it('answers 207 when one vendor fails and the others succeed', async () => {
    await gw.call('PUT', '/v1/drivers/E-1001/links', { body: { ...susanLinks, samsara: { id: 'payrollId:NOBODY' } } });
    const reply = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { firstName: 'Susan', lastName: 'Smith' } });
    expect(reply.status).toBe(207);
    expect(reply.body.results.samsara).toMatchObject({ outcome: 'failed', status: 404, error: { type: 'urn:driver-gateway:problem:vendor-not-found' } });
    expect(reply.body.results.focus.outcome).toBe('succeeded');
  });

  it('answers 404 when every vendor called says it has no such record: retrying cannot help', async () => {
    await gw.call('PUT', '/v1/drivers/E-1001/links', { body: { samsara: { id: 'payrollId:NOBODY' }, focus: { identifiers: { driver_number: 'D-9999' } } } });
    const reply = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { firstName: 'Susan', lastName: 'Smith' } });
    expect(reply.status).toBe(404);
    expect(reply.body.results.samsara).toMatchObject({ outcome: 'failed', status: 404 });
    expect(reply.body.results.focus).toMatchObject({ outcome: 'failed', status: 404 });
  });

  it('answers 502 when every vendor called failed and one of them failed on its side', async () => {
    await gw.call('PUT', '/v1/drivers/E-1001/links', { body: { samsara: { id: '123' }, focus: { identifiers: { driver_number: 'D-9999' } } } });
    gw.simulators.setFaults('samsara', '500:1');
    try {
      const reply = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { firstName: 'Susan', lastName: 'Smith' } });
      expect(reply.status).toBe(502);
      expect(reply.body.results.samsara).toMatchObject({ outcome: 'failed', status: 502 });
      expect(reply.body.results.focus).toMatchObject({ outcome: 'failed', status: 404 });
    } finally {
      gw.simulators.setFaults('samsara', '');
    }
  });

  it('dry run shows the exact requests, redacts credentials and changes nothing', async () => {
    const before = await requestCount();
    const reply = await gw.call('PATCH', '/v1/drivers/E-1001?dryRun=true', { body: { firstName: 'Dry', lastName: 'Run', phone: '555' } });
    expect(reply.status).toBe(200);
    expect(reply.body.dryRun).toBe(true);
    expect(reply.body.vendors.samsara.requests[0]).toMatchObject({
      method: 'PATCH',
      url: `${gw.simulators.urls.samsara}/fleet/drivers/payrollId%3AABFS18600`,
      headers: { authorization: '[redacted]' },
      body: { name: 'Dry Run', phone: '555' },
    });
    expect(reply.body.vendors.focus.requests[0].body).toEqual({
      fleet_token: '[redacted]',
      identifiers: { driver_number: 'D-1001' },
      driver: { first_name: 'Dry', last_name: 'Run', phone_number: '555' },
    });
    expect(JSON.stringify(reply.body)).not.toContain('demo-');
    expect(await requestCount()).toBe(before);
    expect((await vendors.samsaraDriver('123')).name).toBe('Susan Jones');
  });

  it('an Idempotency-Key replays the first answer without calling vendors again; another body is a 409', async () => {
    const headers = { 'idempotency-key': `rename-${Date.now()}` };
    const first = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { firstName: 'Once', lastName: 'Only' }, headers });
    const calls = await requestCount();
    const again = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { firstName: 'Once', lastName: 'Only' }, headers });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await requestCount()).toBe(calls);

    const other = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { firstName: 'Twice', lastName: 'Only' }, headers });
    expect(other.status).toBe(409);
    expect(other.body.type).toBe('urn:driver-gateway:problem:idempotency-key-reused');
  });

  it('bad input is a 400 naming the field and reaches no vendor', async () => {
    const before = await requestCount();
    const reply = await gw.call('PATCH', '/v1/drivers/E-1001', { body: { dateOfBirth: '1980-13-01', nickname: 'x' } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.dateOfBirth', 'body.nickname']);
    expect(await requestCount()).toBe(before);
  });

  it('a driver without links is a 404 problem', async () => {
    const reply = await gw.call('PATCH', '/v1/drivers/unknown-7', { body: { firstName: 'A', lastName: 'B' } });
    expect(reply.status).toBe(404);
    expect(reply.body.type).toBe('urn:driver-gateway:problem:driver-not-linked');
  });
});

describe('suppression', () => {
  it('a suppressed record is skipped with its reason and receives nothing', async () => {
    const suppressed = { ...susanLinks, samsara: { id: 'payrollId:ABFS18600', suppressed: true, suppressedReason: 'ELD audit in progress' } };
    expect((await gw.call('PUT', '/v1/drivers/E-1001/links', { body: suppressed })).status).toBe(200);
    const reply = await gw.call('PUT', '/v1/drivers/E-1001/status', { body: { status: 'inactive' } });
    expect(reply.status).toBe(200);
    expect(reply.body.results.samsara).toEqual({ outcome: 'skipped', reason: 'Suppressed: ELD audit in progress' });
    expect(reply.body.results.drivequant.outcome).toBe('succeeded');
    expect(await vendors.requests('samsara')).toHaveLength(0);
  });

  it('suppressing needs a reason', async () => {
    const reply = await gw.call('PUT', '/v1/drivers/E-1001/links', { body: { samsara: { id: '123', suppressed: true } } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].path).toBe('body.samsara.suppressedReason');
  });
});

describe('drivers.setStatus and drivers.offboard', () => {
  it('inactive deactivates in Samsara as of effectiveAt and disables in DriveQuant', async () => {
    const effectiveAt = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const reply = await gw.call('PUT', '/v1/drivers/E-1001/status', { body: { status: 'inactive', effectiveAt } });
    expect(reply.status).toBe(200);
    expect(reply.body.results).toMatchObject({ samsara: { outcome: 'succeeded' }, drivequant: { outcome: 'succeeded', skipped: ['effectiveAt'] } });
    expect((await vendors.samsaraDriver('123')).driverActivationStatus).toBe('deactivated');
    expect(JSON.stringify(await vendors.drivequantDriver('susan-jones'))).toContain('DISABLE');

    const back = await gw.call('PUT', '/v1/drivers/E-1001/status', { body: { status: 'active' } });
    expect(back.status).toBe(200);
    expect((await vendors.samsaraDriver('123')).driverActivationStatus).toBe('active');
  });

  it('refuses effectiveAt with active and older than six months, before any vendor call', async () => {
    const before = await requestCount();
    expect((await gw.call('PUT', '/v1/drivers/E-1001/status', { body: { status: 'active', effectiveAt: new Date().toISOString() } })).status).toBe(400);
    expect((await gw.call('PUT', '/v1/drivers/E-1001/status', { body: { status: 'inactive', effectiveAt: '2020-01-01T00:00:00Z' } })).status).toBe(400);
    expect(await requestCount()).toBe(before);
  });

  it('offboard deactivates everywhere and detaches from every fleet; running it twice is harmless', async () => {
    const first = await gw.call('POST', '/v1/drivers/E-1001/offboard');
    expect(first.status).toBe(200);
    expect(first.body.results).toMatchObject({
      samsara: { outcome: 'succeeded' },
      drivequant: { outcome: 'succeeded' },
      chargeapi: { outcome: 'succeeded' },
      focus: { outcome: 'skipped' },
    });
    expect((await vendors.chargeDriver('drv_susan')).fleets).toEqual([]);

    const second = await gw.call('POST', '/v1/drivers/E-1001/offboard');
    expect(second.status).toBe(200);
    expect(second.body.results.chargeapi).toMatchObject({ outcome: 'succeeded', alreadyDone: 2 });
    expect((await vendors.samsaraDriver('123')).driverActivationStatus).toBe('deactivated');
  });
});

describe('driver operations from EventBridge', () => {
  it('runs the operation and publishes a Driver Operation outcome; a redelivery replays without vendor calls', async () => {
    const id = `evt-${Date.now()}`;
    const entry = { id, 'detail-type': 'drivers.setStatus', source: 'driver-gateway.requests', detail: { driverId: 'E-1001', status: 'inactive' } };
    const first = await gw.event(entry);
    expect(first.status).toBe(200);
    expect(first.body.invocation).toBe('succeeded');
    expect(first.body.outcomes).toHaveLength(1);
    expect(first.body.outcomes[0]).toMatchObject({ source: 'driver-gateway', detailType: 'Driver Operation Succeeded', detail: { operation: 'drivers.setStatus', triggerEventId: id } });

    const calls = await requestCount();
    const again = await gw.event(entry);
    expect(again.body.outcomes[0].detail.result).toEqual(first.body.outcomes[0].detail.result);
    expect(await requestCount()).toBe(calls);
  });

  it('a partial failure is published as Driver Operation Partially Failed', async () => {
    await gw.call('PUT', '/v1/drivers/E-1001/links', { body: { ...susanLinks, drivequant: { userId: 'nobody' } } });
    const reply = await gw.event({ 'detail-type': 'drivers.setStatus', source: 'driver-gateway.requests', detail: { driverId: 'E-1001', status: 'active' } });
    expect(reply.body.outcomes[0].detailType).toBe('Driver Operation Partially Failed');
    expect(reply.body.outcomes[0].detail.result.results.drivequant).toMatchObject({ outcome: 'failed', status: 404 });
  });
});
