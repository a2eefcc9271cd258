/**
 * Whatever an older version or a hand edit left in the links table, reading it never crashes the
 * gateway: an unreadable record is a clear 400, odd values are plain data, a bad link fails alone
 * with a bounded problem.
 */
import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED_ERRORS } from '../../functions/core/validation';
import { startGateway, type TestGateway } from './gateway';

let gw: TestGateway;

const store = async (driverId: string, item: Record<string, AttributeValue>) => {
  const client = new DynamoDBClient({ endpoint: gw.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(new PutItemCommand({ TableName: gw.dynamo.tableName, Item: { pk: { S: `driver#${driverId}` }, sk: { S: 'links' }, updatedAt: { S: '2026-01-01T00:00:00Z' }, ...item } }));
  client.destroy();
};

beforeAll(async () => {
  gw = await startGateway({ env: { MASS_CHANGE_LIMIT: '0' } });
  await store('NOLINKS-1', {});
  await store('BIGNUM-1', { links: { M: { samsara: { M: { id: { N: '12345678901234567890' } } }, focus: { M: { identifiers: { M: { driver_number: { S: 'D-1001' } } } } } } } });
  const unknown = Object.fromEntries(Array.from({ length: 999 }, (_, i) => [`extra${i}`, { S: 'x' }]));
  await store('WIDE-1', { links: { M: { samsara: { M: { id: { S: '123' }, ...unknown } }, focus: { M: { identifiers: { M: { driver_number: { S: 'D-1001' } } } } } } } });
});
afterAll(() => gw?.stop());

describe('stored links', () => {
  it('a record without links is a 400 that says to PUT them again, over HTTP and as an event (no failed invocation)', async () => {
    for (const reply of [await gw.call('POST', '/v1/drivers/NOLINKS-1/offboard'), await gw.call('GET', '/v1/drivers/NOLINKS-1/links')]) {
      expect(reply.status).toBe(400);
      expect(reply.body.detail).toContain('PUT /v1/drivers/NOLINKS-1/links again');
    }
    const event = await gw.event({ 'detail-type': 'drivers.offboard', source: 'driver-gateway.requests', detail: { driverId: 'NOLINKS-1' } });
    expect(event.body.invocation).toBe('succeeded');
    expect(event.body.outcomes[0].detail).toMatchObject({ status: 400, outcome: 'failed' });
  });

  it('a number too large for JavaScript is read as text, not as a BigInt that cannot be answered', async () => {
    const reply = await gw.call('GET', '/v1/drivers/BIGNUM-1/links');
    expect(reply.status).toBe(200);
    expect(reply.body.links.samsara.id).toBe('12345678901234567890');
    // As text it is a well-formed Samsara id (of nobody): Samsara says so, Focus is still updated.
    const update = await gw.call('PATCH', '/v1/drivers/BIGNUM-1', { body: { firstName: 'Big', lastName: 'Number' } });
    expect(update.status).toBe(207);
    expect(update.body.results.samsara).toMatchObject({ outcome: 'failed', status: 404 });
    expect(update.body.results.focus.outcome).toBe('succeeded');
  });

  it('a link with 999 unknown fields fails alone, with a problem that lists at most 50 of them', async () => {
    const reply = await gw.call('PATCH', '/v1/drivers/WIDE-1', { body: { firstName: 'Wide', lastName: 'Link' } });
    expect(reply.status).toBe(207);
    const error = reply.body.results.samsara.error;
    expect(error.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(error.omittedErrors).toBe(999 - MAX_LISTED_ERRORS);
    expect(error.detail).toContain('The stored samsara link of driver "WIDE-1" is not valid');
    expect(reply.body.results.focus.outcome).toBe('succeeded');
  });
});
