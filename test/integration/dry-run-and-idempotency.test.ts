/**
 * The brakes cannot be bypassed: every write can be dry-run and then changes nothing, a query
 * string is as strict as a body, and every write honours Idempotency-Key — without freezing an
 * answer that a retry may still fix.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { fingerprint } from '../../functions/core/idempotency';
import { clearSecretCache, secretReadCount } from '../../functions/core/secrets';
import { registry } from '../../functions/registry';
import { loadLocalSecrets } from '../../local/secrets-file';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;

beforeAll(async () => {
  gw = await startGateway({
    env: { MASS_CHANGE_LIMIT: '0', VENDOR_CIRCUIT_THRESHOLD: '0', VENDOR_ATTEMPT_TIMEOUT_MS: '200', VENDOR_BUDGET_MS: '1000', VENDOR_RETRY_BASE_MS: '5', VENDOR_MAX_ATTEMPTS: '2' },
  });
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());
beforeEach(async () => {
  await vendors.reset();
  for (const vendor of ['samsara', 'drivequant', 'chargeapi', 'focus'] as const) gw.simulators.setFaults(vendor, '');
});

const LINKS = { samsara: { id: '123' }, drivequant: { userId: 'furious-fred' }, chargeapi: { driver: 'drv_susan', fleets: ['flt_east', 'flt_west'] }, focus: { identifiers: { driver_number: 'D-1001' } } };

/** A valid request for every write operation of the registry. */
const WRITES: Record<string, { path: string; body?: unknown; vendors: string[] }> = {
  'samsara.updateDriver': { path: '/v1/providers/samsara/drivers/123', body: { driverActivationStatus: 'deactivated' }, vendors: ['samsara'] },
  'drivequant.setDriverStatus': { path: '/v1/providers/drivequant/drivers/furious-fred/status', body: { status: 'DISABLE' }, vendors: ['drivequant'] },
  'chargeapi.detachDriver': { path: '/v1/providers/chargeapi/drivers/drv_susan/detach', body: { fleet: 'flt_east' }, vendors: ['chargeapi'] },
  'focus.updateDriver': { path: '/v1/providers/focus/drivers/update', body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'Dryville' } }, vendors: ['focus'] },
  'drivers.putLinks': { path: '/v1/drivers/DRY-NEW/links', body: LINKS, vendors: [] },
  'drivers.update': { path: '/v1/drivers/DRY-1', body: { firstName: 'Dry', lastName: 'Run', phone: '555' }, vendors: ['samsara', 'focus'] },
  'drivers.setStatus': { path: '/v1/drivers/DRY-1/status', body: { status: 'inactive' }, vendors: ['samsara', 'drivequant'] },
  'drivers.offboard': { path: '/v1/drivers/DRY-1/offboard', vendors: ['samsara', 'drivequant', 'chargeapi'] },
};
const writes = registry.filter((entry) => entry.operation.method !== 'GET');
const methodOf = (name: string) => registry.find((entry) => entry.operation.name === name)!.operation.method;

const vendorSnapshot = async () => ({
  samsara: await vendors.samsaraDriver('123'),
  drivequant: await vendors.drivequantDriver('furious-fred'),
  chargeapi: await vendors.chargeDriver('drv_susan'),
  focus: await vendors.focusDrivers(),
});

describe('dry run', () => {
  it('the table above names every write operation of the registry', () => {
    expect(writes.map((entry) => entry.operation.name).sort()).toEqual(Object.keys(WRITES).sort());
    for (const entry of writes) expect(entry.operation.dryRun, entry.operation.name).toBeTypeOf('function');
  });

  it.each(Object.entries(WRITES))('%s?dryRun=true shows the exact requests and changes nothing: no vendor call, no link, no idempotency record', async (name, write) => {
    await gw.call('PUT', '/v1/drivers/DRY-1/links', { body: LINKS });
    const before = await vendorSnapshot();
    // Reading a record back is a GET the simulators record too: count from here.
    const sent = await vendors.totalRequests();
    const key = { 'idempotency-key': `dry-${name}` };
    // A cold cache: a dry run that read a secret would show up in the count.
    clearSecretCache();
    const reads = secretReadCount();
    const dry = await gw.call(methodOf(name), `${write.path}?dryRun=true`, { ...(write.body ? { body: write.body } : {}), headers: key });
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(secretReadCount()).toBe(reads);
    expect(Object.keys(dry.body.vendors).filter((vendor) => dry.body.vendors[vendor].requests).sort()).toEqual([...write.vendors].sort());
    for (const vendor of write.vendors) {
      for (const request of dry.body.vendors[vendor].requests) {
        expect(request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
        const credentials = Object.entries(request.headers).filter(([header]) => ['authorization', 'drivekit-admin-api-key'].includes(header));
        expect(credentials.length).toBeGreaterThan(0);
        for (const [, value] of credentials) expect(value).toBe('[redacted]');
      }
    }
    expect(await vendors.totalRequests()).toBe(sent);
    expect(await vendorSnapshot()).toEqual(before);
    // The same key then runs for real: the dry run left no idempotency record behind.
    const real = await gw.call(methodOf(name), write.path, { ...(write.body ? { body: write.body } : {}), headers: key });
    expect(real.headers.get('idempotent-replayed')).toBeNull();
    expect(real.body.dryRun).toBeUndefined();
  });
});

describe('dry run of the gateway\'s own data', () => {
  it('drivers.putLinks?dryRun=true stores no link', async () => {
    const reply = await gw.call('PUT', '/v1/drivers/DRY-LINKS-ONLY/links?dryRun=true', { body: LINKS });
    expect(reply.body).toEqual({ dryRun: true, driverId: 'DRY-LINKS-ONLY', vendors: {} });
    expect((await gw.call('GET', '/v1/drivers/DRY-LINKS-ONLY/links')).status).toBe(404);
  });
});

describe('query strings are as strict as bodies', () => {
  it.each([
    ['?dryrun=true', 'query.dryrun', 'Unknown query parameter'],
    ['?dryRun=true&dryRun=false', 'query.dryRun', 'Given more than once'],
    ['?dryRun=false&dryRun=true', 'query.dryRun', 'Given more than once'],
    ['?dryRun=yes', 'query.dryRun', 'Must be true or false'],
    ['?dryRun=TRUE', 'query.dryRun', 'Must be true or false'],
    ['?dry_run=1', 'query.dry_run', 'Unknown query parameter'],
  ])('%s on a write is a 400 naming %s, and nothing is sent', async (query, path, message) => {
    const reply = await gw.call('PUT', `/v1/providers/drivequant/drivers/furious-fred/status${query}`, { body: { status: 'DISABLE' } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path, message: expect.stringContaining(message) }]);
    expect(await vendors.totalRequests()).toBe(0);
    expect((await vendors.drivequantDriver('furious-fred')).status).toBe('ENABLE');
  });

  it('a read takes no query parameter at all', async () => {
    await gw.call('PUT', '/v1/drivers/Q-1/links', { body: { samsara: { id: '123' } } });
    const reply = await gw.call('GET', '/v1/drivers/Q-1/links?dryRun=true');
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ path: 'query.dryRun', message: expect.stringContaining('takes none') }]);
  });
});

describe('idempotency on every write', () => {
  it.each([
    ['samsara.updateDriver', '/v1/providers/samsara/drivers/123', 'PATCH', { notes: 'first' }, { notes: 'second' }, 'samsara'],
    ['drivequant.setDriverStatus', '/v1/providers/drivequant/drivers/furious-fred/status', 'PUT', { status: 'DISABLE' }, { status: 'ENABLE' }, 'drivequant'],
    ['focus.updateDriver', '/v1/providers/focus/drivers/update', 'POST', { identifiers: { driver_number: 'D-1001' }, driver: { city: 'A' } }, { identifiers: { driver_number: 'D-1001' }, driver: { city: 'B' } }, 'focus'],
  ] as const)('%s: a repeat is replayed and says so; the key with another body is a 409', async (name, path, method, body, other, vendor) => {
    const headers = { 'idempotency-key': `idem-${name}-${Date.now()}` };
    const first = await gw.call(method, path, { body, headers });
    const again = await gw.call(method, path, { body, headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await vendors.requests(vendor)).toHaveLength(1);
    const reused = await gw.call(method, path, { body: other, headers });
    expect(reused.status).toBe(409);
    expect(reused.body.type).toBe('urn:driver-gateway:problem:idempotency-key-reused');
    expect(await vendors.requests(vendor)).toHaveLength(1);
  });

  it('an uncertain answer is not frozen: the recommended retry calls the vendor again, with the same vendor idempotency key', async () => {
    const headers = { 'idempotency-key': `uncertain-${Date.now()}` };
    gw.simulators.setFaults('chargeapi', 'timeout:1');
    const first = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers });
    expect(first.status).toBe(504);
    expect(first.body).toMatchObject({ outcome: 'uncertain', retriable: true });
    gw.simulators.setFaults('chargeapi', '');
    const retry = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    const keys = (await vendors.requests('chargeapi')).map((r: { headers: Record<string, string> }) => r.headers['idempotency-key']);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys)).toEqual(new Set([first.body.idempotencyKey]));
    // Now definite, the answer is kept.
    const third = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers });
    expect(third.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a fan-out whose vendor failed on its side is not frozen either; one that only has definite answers is', async () => {
    await gw.call('PUT', '/v1/drivers/IDEM-1/links', { body: { samsara: { id: '123' }, focus: { identifiers: { driver_number: 'D-1001' } } } });
    const headers = { 'idempotency-key': `fan-${Date.now()}` };
    gw.simulators.setFaults('focus', '503:1');
    const first = await gw.call('PATCH', '/v1/drivers/IDEM-1', { body: { firstName: 'Susan', lastName: 'Jones' }, headers });
    expect(first.status).toBe(207);
    gw.simulators.setFaults('focus', '');
    const retry = await gw.call('PATCH', '/v1/drivers/IDEM-1', { body: { firstName: 'Susan', lastName: 'Jones' }, headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    const third = await gw.call('PATCH', '/v1/drivers/IDEM-1', { body: { firstName: 'Susan', lastName: 'Jones' }, headers });
    expect(third.headers.get('idempotent-replayed')).toBe('true');
  });

  it('HTTP keys and event ids live apart: a key equal to an event id neither replays nor refuses that event', async () => {
    const shared = `shared-${Date.now()}`;
    await gw.call('PUT', '/v1/drivers/NS-1/links', { body: { drivequant: { userId: 'furious-fred' } } });
    await gw.call('PUT', '/v1/drivers/NS-2/links', { body: { drivequant: { userId: 'susan-jones' } } });
    const http = await gw.call('PUT', '/v1/drivers/NS-1/status', { body: { status: 'active' }, headers: { 'idempotency-key': shared } });
    expect(http.status).toBe(200);
    const event = await gw.event({ id: shared, 'detail-type': 'drivers.setStatus', source: 'driver-gateway.requests', detail: { driverId: 'NS-2', status: 'active' } });
    expect(event.body.outcomes[0].detail).toMatchObject({ status: 200, outcome: 'succeeded' });
    expect(event.body.outcomes[0].detail.replayed).toBeUndefined();
    expect(await vendors.requests('drivequant')).toHaveLength(2);
  });

  it('one key used for two operations, or equal to an event id, never makes ChargeAPI replay a stale detach', async () => {
    const secrets = loadLocalSecrets();
    const attach = (fleet: string) =>
      fetch(`${gw.simulators.urls.chargeapi}/v1/drivers/drv_susan/attach`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secrets.chargeapi.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ fleet }),
      });
    const key = `cross-${Date.now()}`;
    expect((await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' }, headers: { 'idempotency-key': key } })).status).toBe(200);
    await attach('flt_east');
    await gw.call('PUT', '/v1/drivers/XOP-1/links', { body: { chargeapi: { driver: 'drv_susan', fleets: ['flt_east'] } } });
    const offboard = await gw.call('POST', '/v1/drivers/XOP-1/offboard', { headers: { 'idempotency-key': key } });
    expect(offboard.body.results.chargeapi.outcome).toBe('succeeded');
    expect((await vendors.chargeDriver('drv_susan')).fleets).not.toContain('flt_east');

    const eventId = `evt-${Date.now()}`;
    await gw.event({ id: eventId, 'detail-type': 'chargeapi.detachDriver', source: 'driver-gateway.requests', detail: { driver: 'drv_susan', fleet: 'flt_west' } });
    await attach('flt_west');
    const http = await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_west' }, headers: { 'idempotency-key': eventId } });
    expect(http.status).toBe(200);
    expect((await vendors.chargeDriver('drv_susan')).fleets).not.toContain('flt_west');
  });

  it('a vendor operation\'s refusal is an answer too: replayed under its key, and the key cannot be reused for another request', async () => {
    const headers = { 'idempotency-key': `refused-${Date.now()}` };
    const first = await gw.call('PUT', '/v1/providers/drivequant/drivers/nobody-here/status', { body: { status: 'DISABLE' }, headers });
    expect(first.status).toBe(404);
    expect(first.headers.get('content-type')).toBe('application/problem+json');
    const again = await gw.call('PUT', '/v1/providers/drivequant/drivers/nobody-here/status', { body: { status: 'DISABLE' }, headers });
    expect(again.status).toBe(404);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'DISABLE' }, headers });
    expect(other.status).toBe(409);
    expect(await vendors.requests('drivequant')).toHaveLength(1);

    const entry = { id: `evt-refused-${Date.now()}`, 'detail-type': 'drivequant.setDriverStatus', source: 'driver-gateway.requests', detail: { userId: 'nobody-here', status: 'DISABLE' } };
    const delivered = [await gw.event(entry), await gw.event(entry)].map((reply) => reply.body.outcomes[0].detail);
    expect(delivered.map((detail) => [detail.status, detail.problem?.type, detail.replayed])).toEqual([
      [404, 'urn:driver-gateway:problem:vendor-not-found', undefined],
      [404, 'urn:driver-gateway:problem:vendor-not-found', true],
    ]);
  });

  it('a refusal the caller fixes on the gateway\'s side is not frozen: links PUT afterwards, the same key runs', async () => {
    const headers = { 'idempotency-key': `fixable-${Date.now()}` };
    const driverId = `FIX-${Date.now()}`;
    const unlinked = await gw.call('PATCH', `/v1/drivers/${driverId}`, { body: { firstName: 'Fix', lastName: 'Able' }, headers });
    expect(unlinked.status).toBe(404);
    expect(unlinked.body.type).toBe('urn:driver-gateway:problem:driver-not-linked');
    await gw.call('PUT', `/v1/drivers/${driverId}/links`, { body: { samsara: { id: '123' } } });
    const linked = await gw.call('PATCH', `/v1/drivers/${driverId}`, { body: { firstName: 'Fix', lastName: 'Able' }, headers });
    expect(linked.status).toBe(200);
    expect(linked.headers.get('idempotent-replayed')).toBeNull();
    expect(await vendors.requests('samsara')).toHaveLength(1);
  });

  it('a stored link that is not valid is not frozen under the key: links PUT again, the same key runs', async () => {
    const client = new DynamoDBClient({ endpoint: gw.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const driverId = `STALE-${Date.now()}`;
    await client.send(new PutItemCommand({ TableName: gw.dynamo.tableName, Item: marshall({ pk: `driver#${driverId}`, sk: 'links', links: { samsara: { id: '..' } }, updatedAt: '2026-01-01T00:00:00Z' }) }));
    client.destroy();
    const headers = { 'idempotency-key': `stale-${Date.now()}` };
    const stale = await gw.call('PATCH', `/v1/drivers/${driverId}`, { body: { firstName: 'A', lastName: 'B' }, headers });
    expect(stale.status).toBe(400);
    expect(stale.body.results.samsara.error.type).toBe('urn:driver-gateway:problem:validation-error');
    await gw.call('PUT', `/v1/drivers/${driverId}/links`, { body: { samsara: { id: '123' } } });
    const fixed = await gw.call('PATCH', `/v1/drivers/${driverId}`, { body: { firstName: 'A', lastName: 'B' }, headers });
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a repeat that finds the first still running after 2 s gets a 409 request-in-progress with Retry-After: 1', async () => {
    const key = `running-${Date.now()}`;
    const input = { params: { userId: 'susan-jones' }, body: { status: 'ENABLE' } };
    // The first request, still running in another instance: an in-progress record that does not expire soon.
    const client = new DynamoDBClient({ endpoint: gw.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(
      new PutItemCommand({
        TableName: gw.dynamo.tableName,
        Item: marshall({ pk: `idempotency#drivequant.setDriverStatus#http#${key}`, sk: 'record', status: 'in-progress', fingerprint: fingerprint(input), expiresAt: Math.floor(Date.now() / 1000) + 60 }),
      }),
    );
    client.destroy();
    const reply = await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'ENABLE' }, headers: { 'idempotency-key': key } });
    expect(reply.status).toBe(409);
    expect(reply.body.type).toBe('urn:driver-gateway:problem:request-in-progress');
    expect(reply.headers.get('retry-after')).toBe('1');
    expect(await vendors.requests('drivequant')).toHaveLength(0);
  });

  it('an answer too large to keep frees its key: the repeat runs again instead of waiting out a 409', async () => {
    const headers = { 'idempotency-key': `huge-${Date.now()}` };
    const attributes = Array.from({ length: 100 }, (_, i) => ({ name: `attribute-${i}`, stringValues: Array.from({ length: 10 }, () => 'v'.repeat(500)) }));
    const first = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { attributes }, headers });
    expect(first.status).toBe(200);
    expect(JSON.stringify(first.body).length).toBeGreaterThan(400 * 1024); // over DynamoDB's item limit
    const again = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { attributes }, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('three concurrent requests with one key: one vendor call, all three get its answer (no 409 with a 25 s Retry-After)', async () => {
    const headers = { 'idempotency-key': `concurrent-${Date.now()}` };
    const replies = await Promise.all([1, 2, 3].map(() => gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'DISABLE' }, headers })));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(replies.filter((reply) => reply.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(await vendors.requests('drivequant')).toHaveLength(1);
  });
});

describe('the OpenAPI document says so', () => {
  it('lists dryRun and Idempotency-Key on every write and on no read, and documents the dry-run answer', async () => {
    const doc = (await gw.call('GET', '/openapi.json')).body;
    const operations = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((methods) => Object.entries(methods));
    expect(operations).toHaveLength(registry.length);
    for (const [method, operation] of operations) {
      const names = operation.parameters.map((parameter: { name: string }) => parameter.name);
      const write = method !== 'get';
      expect(names.includes('dryRun'), operation.operationId).toBe(write);
      expect(names.includes('Idempotency-Key'), operation.operationId).toBe(write);
      if (write) expect(operation.responses['200'].content['application/json'].schema.oneOf).toContainEqual({ $ref: '#/components/schemas/DryRun' });
    }
    expect(doc.components.schemas.DryRun.properties).toHaveProperty('vendors');
  });
});
