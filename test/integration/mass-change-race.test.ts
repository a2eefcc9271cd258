/**
 * Two requests deactivate one record at once and the one that counted it first fails: the record
 * stays counted, because the other one really deactivated it (found by a hostile review).
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
const savedSlow = process.env.SIMULATOR_SLOW_MS;

beforeAll(async () => {
  // A's answer is held back long enough for B to be counted, sent and answered meanwhile.
  process.env.SIMULATOR_SLOW_MS = '2000';
  gw = await startGateway({ env: { MASS_CHANGE_LIMIT: '2', MASS_CHANGE_WINDOW_SECONDS: '3600', VENDOR_CIRCUIT_THRESHOLD: '0' } });
  vendors = vendorState(gw);
});
afterAll(async () => {
  await gw?.stop();
  if (savedSlow === undefined) delete process.env.SIMULATOR_SLOW_MS;
  else process.env.SIMULATOR_SLOW_MS = savedSlow;
});

it('a duplicate deactivation that went through keeps its record counted when the first one fails', async () => {
  gw.simulators.setFaults('samsara', 'slow#1');
  // A counts samsara:123 first, then Samsara (slowly) refuses it: that username is taken.
  const first = gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { driverActivationStatus: 'deactivated', username: 'FuriousFred' } });
  await vi.waitFor(async () => expect(await vendors.requests('samsara')).toHaveLength(1));
  // B, while A is still at Samsara: the record is already counted, and B's deactivation is applied.
  const second = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { driverActivationStatus: 'deactivated' } });
  expect(second.status).toBe(200);
  expect((await first).status).toBe(422);
  expect((await vendors.samsaraDriver('123')).driverActivationStatus).toBe('deactivated');

  // So one record is counted: one more distinct deactivation fits the limit of 2, the next is held.
  expect((await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'DISABLE' } })).status).toBe(200);
  const held = await gw.call('PUT', '/v1/providers/drivequant/drivers/furious-fred/status', { body: { status: 'DISABLE' } });
  expect(held.status).toBe(428);
  expect(held.body.deactivationsInWindow).toBe(2);
});

it('a held request confirmed in its body, then retried as first sent with the same key, is one request: replayed, not a 409', async () => {
  // Fill the window (limit 2) whatever ran before: each is counted, or already held.
  for (const id of ['456', '123']) {
    const filled = await gw.call('PATCH', `/v1/providers/samsara/drivers/${id}`, { body: { driverActivationStatus: 'deactivated' } });
    expect([200, 428]).toContain(filled.status);
  }
  await gw.call('PUT', '/v1/drivers/RACE-2/links', { body: { drivequant: { userId: 'furious-fred' } } });
  const headers = { 'idempotency-key': `confirm-${Date.now()}` };
  const held = await gw.call('PUT', '/v1/drivers/RACE-2/status', { body: { status: 'inactive' }, headers });
  expect(held.status).toBe(428);
  // The table keeps the hold under a hash of its token, never the token itself.
  const client = new DynamoDBClient({ endpoint: gw.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { Items = [] } = await client.send(new ScanCommand({ TableName: gw.dynamo.tableName }));
  client.destroy();
  expect(Items.some((item) => item.pk?.S?.startsWith('guard#hold#'))).toBe(true);
  expect(JSON.stringify(Items)).not.toContain(held.body.confirmationToken);
  const confirmed = await gw.call('PUT', '/v1/drivers/RACE-2/status', { body: { status: 'inactive', confirmMassChange: held.body.confirmationToken }, headers });
  expect(confirmed.status).toBe(200);
  const retried = await gw.call('PUT', '/v1/drivers/RACE-2/status', { body: { status: 'inactive' }, headers });
  expect(retried.status).toBe(200);
  expect(retried.headers.get('idempotent-replayed')).toBe('true');
});
