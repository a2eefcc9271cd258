/**
 * A bad HR export cannot deactivate the fleet: beyond the limit of distinct vendor records sent a
 * deactivation in the window, deactivations — from driver operations and vendor operations alike —
 * wait for a confirmation token that only a hold issues.
 */
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type Reply, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
let table: DynamoDBClient;
const LIMIT = 3;
const HELD = 'urn:driver-gateway:problem:mass-change-held';
const SOURCE = 'driver-gateway.requests';

beforeAll(async () => {
  gw = await startGateway({
    env: {
      MASS_CHANGE_LIMIT: String(LIMIT),
      MASS_CHANGE_WINDOW_SECONDS: '3600',
      VENDOR_CIRCUIT_THRESHOLD: '0',
      VENDOR_RETRY_BASE_MS: '5',
      VENDOR_ATTEMPT_TIMEOUT_MS: '200',
      VENDOR_BUDGET_MS: '1000',
    },
  });
  vendors = vendorState(gw);
  table = new DynamoDBClient({ endpoint: gw.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  table?.destroy();
  await gw?.stop();
});

/** The guard's items in the table (window counts, holds). */
const guardItems = async (): Promise<Record<string, any>[]> => {
  const { Items = [] } = await table.send(new ScanCommand({ TableName: gw.dynamo.tableName }));
  return Items.map((item) => unmarshall(item)).filter((item) => String(item.pk).startsWith('guard#'));
};
/** The vendor records counted in the current window. */
const counted = async (): Promise<string[]> => {
  const windows = (await guardItems()).filter((item) => String(item.pk).startsWith('guard#deactivations#'));
  return windows.flatMap((item) => [...((item.records as Set<string> | undefined) ?? [])]).sort();
};

let serial = 0;
beforeEach(async () => {
  gw.simulators.setFaults('drivequant', '');
  // Each test starts with an empty window.
  for (const item of await guardItems()) {
    await table.send(new DeleteItemCommand({ TableName: gw.dynamo.tableName, Key: { pk: { S: item.pk }, sk: { S: item.sk } } }));
  }
  serial += 1;
});

/** A DriveQuant user the simulator knows, new to this test. */
const drivequantUser = (name: string): string => {
  const userId = `t${serial}-${name}`;
  gw.simulators.contracts.drivequant.users().set(userId, 'ENABLE');
  return userId;
};
const samsaraDriver = (name: string): string => {
  const id = `t${serial}-${name}`;
  gw.simulators.contracts.samsara.drivers().push({ id, name: `Driver ${id}`, driverActivationStatus: 'active', isDeactivated: false });
  return id;
};
const chargeDriver = (name: string): string => {
  const id = `drv_t${serial}_${name}`;
  const template = gw.simulators.contracts.chargeapi.drivers().get('drv_susan')!;
  gw.simulators.contracts.chargeapi.drivers().set(id, { ...structuredClone(template), id, fleets: ['flt_east', 'flt_west'] });
  return id;
};

/** A canonical driver linked to a fresh DriveQuant user (or the given links). */
const driver = async (name: string, links?: Record<string, unknown>): Promise<string> => {
  const driverId = `T${serial}-${name}`;
  const put = await gw.call('PUT', `/v1/drivers/${driverId}/links`, { body: links ?? { drivequant: { userId: drivequantUser(name) } } });
  expect(put.status).toBe(200);
  return driverId;
};

const deactivate = (driverId: string, headers: Record<string, string> = {}) => gw.call('PUT', `/v1/drivers/${driverId}/status`, { body: { status: 'inactive' }, headers });
const offboard = (driverId: string, headers: Record<string, string> = {}) => gw.call('POST', `/v1/drivers/${driverId}/offboard`, { headers });
const disable = (userId: string, headers: Record<string, string> = {}) =>
  gw.call('PUT', `/v1/providers/drivequant/drivers/${userId}/status`, { body: { status: 'DISABLE' }, headers });
const event = (detailType: string, detail: Record<string, unknown>) => gw.event({ 'detail-type': detailType, source: SOURCE, detail });

/** Uses up the allowance with LIMIT distinct deactivations through driver operations. */
const fillWindow = async (): Promise<void> => {
  for (let i = 0; i < LIMIT; i += 1) expect((await deactivate(await driver(`fill${i}`))).status).toBe(200);
};

const expectHeld = (reply: Reply): string => {
  expect(reply.status).toBe(428);
  expect(reply.body).toMatchObject({ type: HELD, status: 428 });
  expect(reply.body.confirmationToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(reply.body.detail).toContain(reply.body.confirmationToken);
  return reply.body.confirmationToken as string;
};

describe('mass-change guard: what counts', () => {
  it('repeating the same offboard never holds: one record is counted once, however often it is sent', async () => {
    const driverId = await driver('repeat');
    for (let i = 0; i < 10; i += 1) expect((await offboard(driverId)).status).toBe(200);
    expect((await deactivate(driverId)).status).toBe(200);
    expect(await counted()).toEqual([`drivequant:t${serial}-repeat`]);
  });

  it('counts distinct vendor records: a driver linked to two vendors counts two; ChargeAPI fleets of one driver count once', async () => {
    const driverId = await driver('multi', {
      samsara: { id: samsaraDriver('multi') },
      chargeapi: { driver: chargeDriver('multi'), fleets: ['flt_east', 'flt_west'] },
    });
    expect((await offboard(driverId)).status).toBe(200);
    expect(await counted()).toEqual([`chargeapi:drv_t${serial}_multi`, `samsara:t${serial}-multi`]);
  });

  it('suppressed links, failed vendor calls and dry runs use up nothing; real deactivations still pass', async () => {
    const suppressed = { drivequant: { userId: 'susan-jones', suppressed: true, suppressedReason: 'under audit' } };
    for (let i = 0; i < 5; i += 1) {
      const reply = await offboard(await driver(`sup${i}`, suppressed));
      expect(reply.status).toBe(200);
      expect(reply.body.results.drivequant.outcome).toBe('skipped');
    }
    for (let i = 0; i < 5; i += 1) {
      const reply = await gw.call('POST', `/v1/drivers/${await driver(`dry${i}`)}/offboard?dryRun=true`);
      expect(reply.status).toBe(200);
    }
    gw.simulators.setFaults('drivequant', '500:1');
    for (let i = 0; i < 5; i += 1) {
      const reply = await offboard(await driver(`down${i}`));
      expect(reply.status).toBe(502);
      expect(reply.body.results.drivequant.outcome).toBe('failed');
    }
    // A vendor that refuses the record (404) did not deactivate anything either.
    gw.simulators.setFaults('drivequant', '');
    for (let i = 0; i < 3; i += 1) expect((await disable(`t${serial}-unknown${i}`)).status).toBe(404);
    expect(await counted()).toEqual([]);

    for (let i = 0; i < LIMIT; i += 1) expect((await offboard(await driver(`real${i}`))).status).toBe(200);
    expect(await counted()).toHaveLength(LIMIT);
  });

  it('concurrent deactivations of distinct records: exactly the limit passes', async () => {
    const drivers = await Promise.all(Array.from({ length: 6 }, (_, i) => driver(`par${i}`)));
    const replies = await Promise.all(drivers.map((driverId) => deactivate(driverId)));
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(LIMIT);
    expect(replies.filter((reply) => reply.status === 428)).toHaveLength(6 - LIMIT);
    const tokens = replies.filter((reply) => reply.status === 428).map((reply) => expectHeld(reply));
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(await counted()).toHaveLength(LIMIT);
  });
});

describe('mass-change guard: what is held', () => {
  it('a fan-out that would go over the limit is held whole: no vendor touched, nothing left counted', async () => {
    for (let i = 0; i < LIMIT - 1; i += 1) expect((await deactivate(await driver(`pre${i}`))).status).toBe(200);
    const both = await driver('both', { samsara: { id: samsaraDriver('both') }, drivequant: { userId: drivequantUser('both') } });
    const before = await vendors.totalRequests();
    expectHeld(await deactivate(both));
    expect(await vendors.totalRequests()).toBe(before);
    expect(await counted()).toHaveLength(LIMIT - 1);
  });

  it('vendor operations are guarded: a new DISABLE, Samsara deactivation or ChargeAPI detach is held and never sent; activations and repeats pass', async () => {
    await fillWindow();
    const before = await vendors.totalRequests();
    expectHeld(await disable(drivequantUser('v')));
    expectHeld(
      await gw.call('PATCH', `/v1/providers/samsara/drivers/${samsaraDriver('v')}`, { body: { driverActivationStatus: 'deactivated' } }),
    );
    expectHeld(await gw.call('POST', `/v1/providers/chargeapi/drivers/${chargeDriver('v')}/detach`, { body: { fleet: 'flt_east' } }));
    const heldEvent = await event('drivequant.setDriverStatus', { userId: drivequantUser('ve'), status: 'DISABLE' });
    expect(heldEvent.body.outcomes[0].detail).toMatchObject({ status: 428, problem: { type: HELD } });
    expect(await vendors.totalRequests()).toBe(before);

    // Activations are never held; neither is another change of a record, nor a record already counted.
    expect((await gw.call('PUT', `/v1/providers/drivequant/drivers/${drivequantUser('a')}/status`, { body: { status: 'ENABLE' } })).status).toBe(200);
    expect((await gw.call('PATCH', `/v1/providers/samsara/drivers/${samsaraDriver('a')}`, { body: { driverActivationStatus: 'active' } })).status).toBe(200);
    expect((await gw.call('PATCH', `/v1/providers/samsara/drivers/${samsaraDriver('r')}`, { body: { name: 'Renamed' } })).status).toBe(200);
    expect((await gw.call('PUT', `/v1/drivers/T${serial}-fill0/status`, { body: { status: 'active' } })).status).toBe(200);
    expect((await disable(`t${serial}-fill1`)).status).toBe(200);
    expect(await counted()).toHaveLength(LIMIT);
  });

  it('a count or a huge number sent up front is a 400, never a bypass; a token no hold issued is still held', async () => {
    const driverId = await driver('upfront');
    for (const value of ['4', '9999999', '9007199254740991']) {
      const reply = await deactivate(driverId, { 'x-confirm-mass-change': value });
      expect(reply.status).toBe(400);
      expect(reply.body.errors[0].path).toBe('header.X-Confirm-Mass-Change');
      expect(reply.body.errors[0].message).toMatch(/token/);
    }
    const bodyCount = await gw.call('POST', `/v1/drivers/${driverId}/offboard`, { body: { confirmMassChange: 9007199254740991 } });
    expect(bodyCount.status).toBe(400);
    expect(bodyCount.body.errors[0]).toMatchObject({ path: 'body.confirmMassChange' });
    expect(bodyCount.body.errors[0].message).toMatch(/token/);
    const eventCount = await event('drivers.offboard', { driverId, confirmMassChange: 9999999 });
    expect(eventCount.body.outcomes[0].detail).toMatchObject({ status: 400, problem: { errors: [{ path: 'detail.confirmMassChange' }] } });
    const vendorEventCount = await event('drivequant.setDriverStatus', { userId: drivequantUser('upfront'), status: 'DISABLE', confirmMassChange: 9999999 });
    expect(vendorEventCount.body.outcomes[0].detail).toMatchObject({ status: 400, problem: { errors: [{ path: 'detail.confirmMassChange' }] } });
    expect((await disable(drivequantUser('upfront2'), { 'x-confirm-mass-change': '99' })).status).toBe(400);
    expect((await deactivate(driverId, { 'x-confirm-mass-change': 'not a token!' })).status).toBe(400);
    expect(await counted()).toEqual([]);

    await fillWindow();
    const forged = 'AAAAAAAAAAAAAAAAAAAAAA';
    const held = await deactivate(driverId, { 'x-confirm-mass-change': forged });
    expect(expectHeld(held)).not.toBe(forged);
    expect(await counted()).toHaveLength(LIMIT);
  });
});

describe('mass-change guard: confirming a hold', () => {
  it('the token of a 428 releases exactly that hold over HTTP: not another request, not a count', async () => {
    await fillWindow();
    const first = await driver('confirm');
    const other = await driver('other');
    const token = expectHeld(await deactivate(first));
    expect(await counted()).toHaveLength(LIMIT);

    expectHeld(await deactivate(other, { 'x-confirm-mass-change': token }));
    const confirmed = await deactivate(first, { 'x-confirm-mass-change': token });
    expect(confirmed.status).toBe(200);
    // Confirmed deactivations still count.
    expect(await counted()).toContain(`drivequant:t${serial}-confirm`);
    expect(await counted()).toHaveLength(LIMIT + 1);

    // Vendor operations take the header as well.
    const userId = drivequantUser('vendor');
    const vendorToken = expectHeld(await disable(userId));
    expect((await disable(userId, { 'x-confirm-mass-change': vendorToken })).status).toBe(200);
    expect((await vendors.drivequantDriver(userId)).status).toBe('DISABLE');
  });

  it('an event is held with the token in its outcome event, and an event carrying it goes through', async () => {
    await fillWindow();
    const driverId = await driver('event');
    const held = await event('drivers.offboard', { driverId });
    expect(held.body.invocation).toBe('succeeded');
    const outcome = held.body.outcomes[0];
    expect(outcome).toMatchObject({ detailType: 'Driver Operation Failed', detail: { status: 428, problem: { type: HELD } } });
    const token = outcome.detail.problem.confirmationToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const confirmed = await event('drivers.offboard', { driverId, confirmMassChange: token });
    expect(confirmed.body.outcomes[0].detailType).toBe('Driver Operation Succeeded');

    const userId = drivequantUser('vendor-event');
    const vendorHeld = await event('drivequant.setDriverStatus', { userId, status: 'DISABLE' });
    const vendorToken = vendorHeld.body.outcomes[0].detail.problem.confirmationToken as string;
    const vendorConfirmed = await event('drivequant.setDriverStatus', { userId, status: 'DISABLE', confirmMassChange: vendorToken });
    expect(vendorConfirmed.body.outcomes[0].detail).toMatchObject({ outcome: 'succeeded', status: 200 });
  });

  it('on dynalite the count stays right: two holds in a row name the same count, and the token confirms without a loop', async () => {
    await fillWindow();
    const driverId = await driver('loop');
    const metrics = () => gw.logs.filter((line) => line.includes('"MassChangeHeld":1')).length;
    const alarmsBefore = metrics();
    const first = await deactivate(driverId);
    const second = await deactivate(driverId);
    // Each hold emits the metric the stack alarms on.
    expect(metrics()).toBe(alarmsBefore + 2);
    expectHeld(first);
    const token = expectHeld(second);
    expect(first.body.deactivationsInWindow).toBe(LIMIT);
    expect(second.body.deactivationsInWindow).toBe(LIMIT);
    expect(second.body.detail).toContain(`${LIMIT} vendor records`);
    expect((await deactivate(driverId, { 'x-confirm-mass-change': token })).status).toBe(200);

    const next = await driver('loop2');
    const third = await deactivate(next);
    expect(third.body.deactivationsInWindow).toBe(LIMIT + 1);
    expect((await deactivate(next, { 'x-confirm-mass-change': expectHeld(third) })).status).toBe(200);
    expect(await counted()).toHaveLength(LIMIT + 2);
  });
});

describe('mass-change guard: its store', () => {
  it('a guard whose store fails answers 503 store-unavailable, never a 428, and sends nothing', async () => {
    const userId = drivequantUser('store');
    const before = await vendors.totalRequests();
    const saved = process.env.TABLE_NAME;
    process.env.TABLE_NAME = 'no-such-table';
    try {
      const reply = await disable(userId);
      expect(reply.status).toBe(503);
      expect(reply.body.type).toBe('urn:driver-gateway:problem:store-unavailable');
    } finally {
      process.env.TABLE_NAME = saved;
    }
    expect(await vendors.totalRequests()).toBe(before);
  });

  it('MASS_CHANGE_LIMIT=0 switches it off: deactivations of distinct records pass and nothing is written', async () => {
    const saved = process.env.MASS_CHANGE_LIMIT;
    process.env.MASS_CHANGE_LIMIT = '0';
    try {
      for (let i = 0; i < 5; i += 1) expect((await offboard(await driver(`off${i}`))).status).toBe(200);
      for (let i = 0; i < 5; i += 1) expect((await disable(drivequantUser(`offv${i}`))).status).toBe(200);
      expect(await guardItems()).toEqual([]);
    } finally {
      process.env.MASS_CHANGE_LIMIT = saved;
    }
  });
});
