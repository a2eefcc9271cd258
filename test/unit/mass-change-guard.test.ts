/** The mass-change guard against its store: a store that fails is a 503, never a 428 or a pass. */
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAwsClients } from '../../functions/core/aws-clients';
import { createLogger, setLogSink } from '../../functions/core/logger';
import { confirmationOf, guardedDeactivation, mayHaveApplied, reserveDeactivations } from '../../functions/core/mass-change-guard';
import { setMetricSink } from '../../functions/core/metrics';
import { Problem } from '../../functions/core/problem';

const log = createLogger();
const conditionFailure = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const storeDown = () => Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' });

const rejection = async (promise: Promise<unknown>): Promise<Problem> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Problem);
  return error as Problem;
};

beforeEach(() => {
  setLogSink(() => undefined);
  setMetricSink(() => undefined);
  vi.stubEnv('TABLE_NAME', 'gateway');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('MASS_CHANGE_LIMIT', '3');
  resetAwsClients();
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetAwsClients();
});

describe('mass-change guard store failures', () => {
  let mock: ReturnType<typeof mockClient>;
  beforeAll(() => {
    mock = mockClient(DynamoDBClient);
  });
  beforeEach(() => mock.reset());
  // The real client again for what follows.
  afterAll(() => mock.restore());

  it('a failing reservation is a 503 store-unavailable, and the vendor is never called', async () => {
    mock.on(UpdateItemCommand).rejects(storeDown());
    const send = vi.fn(async () => 'sent');
    const problem = await rejection(guardedDeactivation('drivequant:a', undefined, log, send));
    expect(problem.type).toBe('store-unavailable');
    expect(problem.status).toBe(503);
    expect(send).not.toHaveBeenCalled();
  });

  it('a hold that cannot be recorded is a 503, never a 428 without a usable token', async () => {
    mock.on(UpdateItemCommand).rejects(conditionFailure());
    mock.on(PutItemCommand).rejects(storeDown());
    mock.on(GetItemCommand).resolves({ Item: { records: { SS: ['a', 'b', 'c'] } } });
    expect((await rejection(reserveDeactivations(['drivequant:d'], undefined, log))).type).toBe('store-unavailable');
  });

  it('a token that cannot be looked up is a 503, not a hold', async () => {
    mock.on(GetItemCommand).rejects(storeDown());
    mock.on(UpdateItemCommand).resolves({});
    expect((await rejection(reserveDeactivations(['drivequant:d'], 'AAAAAAAAAAAAAAAAAAAAAA', log))).type).toBe('store-unavailable');
  });

  it('one record held and another failing to store: a 503, and the reserved one is released', async () => {
    mock.on(UpdateItemCommand).callsFake((input: { UpdateExpression?: string; ExpressionAttributeValues?: Record<string, { S?: string }> }) => {
      // Giving up a hold: this request was its only holder, so the record leaves the window.
      if (input.UpdateExpression === 'ADD #holders :minusOne') return Promise.resolve({ Attributes: {} });
      if (input.UpdateExpression === 'DELETE records :r') return Promise.resolve({});
      const record = input.ExpressionAttributeValues?.[':rid']?.S;
      if (record === 'samsara:1') return Promise.resolve({});
      if (record === 'drivequant:2') return Promise.reject(conditionFailure());
      return Promise.reject(storeDown());
    });
    const problem = await rejection(reserveDeactivations(['samsara:1', 'drivequant:2', 'chargeapi:3'], undefined, log));
    expect(problem.type).toBe('store-unavailable');
    const releases = mock.commandCalls(UpdateItemCommand).filter((call) => call.args[0].input.UpdateExpression === 'DELETE records :r');
    expect(releases.map((call) => call.args[0].input.ExpressionAttributeValues?.[':r'])).toEqual([{ SS: ['samsara:1'] }]);
  });

  it('MASS_CHANGE_LIMIT=0 and requests that deactivate nothing never touch the store', async () => {
    mock.on(UpdateItemCommand).rejects(storeDown());
    vi.stubEnv('MASS_CHANGE_LIMIT', '0');
    expect(await guardedDeactivation('drivequant:a', undefined, log, async () => 'sent')).toBe('sent');
    vi.stubEnv('MASS_CHANGE_LIMIT', '3');
    expect(await guardedDeactivation(undefined, undefined, log, async () => 'sent')).toBe('sent');
    expect(mock.calls()).toHaveLength(0);
  });
});

describe('mass-change guard with DynamoDB unreachable (a real client, a closed port)', () => {
  it('is a 503 store-unavailable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', `http://127.0.0.1:${port}`);
    resetAwsClients();
    const send = vi.fn(async () => 'sent');
    const problem = await rejection(guardedDeactivation('samsara:123', undefined, log, send));
    expect(problem).toMatchObject({ type: 'store-unavailable', status: 503 });
    expect((problem.cause as Error).message).toMatch(/ECONNREFUSED/);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('confirmations and outcomes', () => {
  it('takes a token from the header; a count, a huge number or anything else is a 400 naming the header', () => {
    expect(confirmationOf({ 'x-confirm-mass-change': ' AbCdEfGhIjKlMnOpQrStU_ ' })).toBe('AbCdEfGhIjKlMnOpQrStU_');
    expect(confirmationOf({}, 'AbCdEfGhIjKlMnOpQrStU-')).toBe('AbCdEfGhIjKlMnOpQrStU-');
    for (const value of ['4', '9999999', '9007199254740991', '1e21', '', 'yes', 'AbCdEfGhIjKlMnOpQrStU', '1234567890123456789012']) {
      let problem: unknown;
      try {
        confirmationOf({ 'x-confirm-mass-change': value });
      } catch (error) {
        problem = error;
      }
      expect(problem, value).toMatchObject({ type: 'validation-error', options: { errors: [{ path: 'header.X-Confirm-Mass-Change' }] } });
    }
  });

  it('only a definite failure releases a record: uncertain writes, 2xx answers and our own bugs stay counted', () => {
    expect(mayHaveApplied(new Problem('vendor-not-found', 'x', { vendor: { name: 'drivequant', status: 404 } }))).toBe(false);
    expect(mayHaveApplied(new Problem('vendor-unavailable', 'x', { vendor: { name: 'drivequant', status: 500 } }))).toBe(false);
    expect(mayHaveApplied(new Problem('vendor-circuit-open', 'x'))).toBe(false);
    expect(mayHaveApplied(new Problem('vendor-timeout', 'x', { uncertain: {} }))).toBe(true);
    expect(mayHaveApplied(new Problem('vendor-unavailable', 'x', { vendor: { name: 'samsara', status: 200 } }))).toBe(true);
    expect(mayHaveApplied(new TypeError('bug'))).toBe(true);
  });
});
