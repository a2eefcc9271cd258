/**
 * Size is bounded where it hurts, events carry no personal data, and only the configured sources
 * trigger operations — observed through `npm start`'s runner, the simulators and the EventBridge fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED_ERRORS } from '../../functions/core/validation';
import { startGateway, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;
const SOURCE = 'driver-gateway.requests';

beforeAll(async () => {
  gw = await startGateway({ env: { MASS_CHANGE_LIMIT: '0' } });
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());

describe('sizes', () => {
  it('a 1 MB body of 340,000 bad list items is a short 400, not a 500, and reaches no vendor', async () => {
    const raw = `{"tagIds":[${Array(340_000).fill('""').join(',')}]}`;
    expect(Buffer.byteLength(raw)).toBeLessThan(1024 * 1024);
    const before = await vendors.totalRequests();
    const reply = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { raw });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.errors).toEqual([{ path: 'body.tagIds', message: 'Too many items (at most 1000)' }]);
    expect(await vendors.totalRequests()).toBe(before);
  });

  it('a vendor list has its own bound in the schema: 101 tag ids are a 400 naming the list, 100 reach Samsara', async () => {
    const before = await vendors.totalRequests();
    const over = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { tagIds: Array.from({ length: 101 }, (_, i) => `tag-${i}`) } });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ path: 'body.tagIds', message: expect.stringContaining('100') }]);
    expect(await vendors.totalRequests()).toBe(before);
    const within = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { tagIds: Array.from({ length: 100 }, (_, i) => `tag-${i}`) } });
    expect(within.status).toBe(200);
  });

  it('thousands of field errors make a problem that lists 50 and says how many more', async () => {
    const reply = await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { tagIds: Array(100).fill(''), attributes: Array(100).fill({ id: '' }) } });
    expect(reply.status).toBe(400);
    expect(reply.body.detail).toBe(`200 fields are invalid; the first ${MAX_LISTED_ERRORS} are listed`);
    expect(reply.body.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(reply.body.omittedErrors).toBe(200 - MAX_LISTED_ERRORS);
    expect(JSON.stringify(reply.body).length).toBeLessThan(16 * 1024);
  });

  it('an event with 20 KB of bad detail publishes one outcome event well under 256 KB', async () => {
    const reply = await gw.event({ 'detail-type': 'samsara.updateDriver', source: SOURCE, detail: { id: '123', tagIds: Array(1_000).fill(''), notes: 'n'.repeat(8_000) } });
    expect(reply.body.invocation).toBe('succeeded');
    expect(reply.body.outcomes).toHaveLength(1);
    const outcome = reply.body.outcomes[0];
    expect(outcome.detail).toMatchObject({ status: 400, outcome: 'failed', problem: { type: 'urn:driver-gateway:problem:validation-error' } });
    expect(outcome.detail.problem.errors.length).toBeLessThanOrEqual(20);
    expect(Buffer.byteLength(JSON.stringify(outcome.detail))).toBeLessThan(16 * 1024);
  });
});

describe('personal data stays out of events', () => {
  it('samsara.updateDriver from an event publishes the driver id, not the licence, phone or name', async () => {
    const reply = await gw.event({ 'detail-type': 'samsara.updateDriver', source: SOURCE, detail: { id: '123', notes: 'privacy check' } });
    expect(reply.body.invocation).toBe('succeeded');
    const [outcome] = reply.body.outcomes;
    expect(outcome.detail).toMatchObject({ operation: 'samsara.updateDriver', status: 200, outcome: 'succeeded', result: { id: '123' } });
    const published = JSON.stringify(reply.body);
    for (const personal of ['E1234567', '5558234327', 'Susan Jones', 'SusanJones', 'privacy check']) expect(published).not.toContain(personal);
  });

  it('a fan-out event publishes per-vendor outcomes and problem summaries, not vendor words', async () => {
    await gw.call('PUT', '/v1/drivers/PRIV-1/links', { body: { samsara: { id: '123' }, focus: { identifiers: { driver_number: 'D-9' } } } });
    const reply = await gw.event({ 'detail-type': 'drivers.update', source: SOURCE, detail: { driverId: 'PRIV-1', firstName: 'Susan', lastName: 'Jones', phone: '5550001111' } });
    const [outcome] = reply.body.outcomes;
    expect(outcome.detail.result).toEqual({
      driverId: 'PRIV-1',
      results: {
        samsara: { outcome: 'succeeded', status: 200 },
        focus: { outcome: 'failed', status: 404, problem: expect.objectContaining({ type: 'urn:driver-gateway:problem:vendor-not-found', vendor: expect.objectContaining({ name: 'focus', code: 'NoDriver' }) }) },
      },
    });
    expect(outcome.detail.result.results.focus.problem.vendor.message).toBeUndefined();
    expect(JSON.stringify(outcome)).not.toContain('5550001111');
  });
});

describe('event sources', () => {
  it('only the configured sources trigger operations; the gateway itself never does', async () => {
    const before = await vendors.totalRequests();
    for (const source of ['hr', 'driver-gateway', 'aws.events', 'driver-gateway.requests.evil']) {
      const reply = await gw.event({ 'detail-type': 'drivequant.setDriverStatus', source, detail: { userId: 'furious-fred', status: 'DISABLE' } });
      expect(reply.status, source).toBe(404);
      expect(reply.body.detail).toContain('accepted sources: driver-gateway.requests');
    }
    expect(await vendors.totalRequests()).toBe(before);
    const accepted = await gw.event({ 'detail-type': 'drivequant.setDriverStatus', source: SOURCE, detail: { userId: 'furious-fred', status: 'ENABLE' } });
    expect(accepted.body.invocation).toBe('succeeded');
  });
});
