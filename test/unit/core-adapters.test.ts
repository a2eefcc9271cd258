/** One operation, three triggers: API Gateway v1, HTTP API v2 and EventBridge give it the same input. */
import * as z from 'zod';
import * as zm from 'zod/mini';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAwsClients } from '../../functions/core/aws-clients';
import { createHandler } from '../../functions/core/handler';
import { setLogSink } from '../../functions/core/logger';
import { defineOperation } from '../../functions/core/operation';
import { Problem } from '../../functions/core/problem';
import { startDynamo, type LocalDynamo } from '../../local/dynamodb-local';
import { apiGatewayV1Event, eventBridgeEvent, lambdaContext } from '../../local/lambda-events';

const seen: unknown[] = [];
let failWith: Problem | undefined;
const echo = defineOperation({
  name: 'test.echo',
  summary: 'echo',
  method: 'PUT',
  path: '/v1/things/{thingId}',
  vendors: [],
  params: z.strictObject({ thingId: z.string().min(1) }),
  body: z.strictObject({ colour: z.enum(['red', 'blue']), size: z.int().optional() }),
  run: async (input, ctx) => {
    seen.push({ input, trigger: ctx.trigger, idempotencyKey: ctx.idempotencyKey });
    if (failWith) throw failWith;
    return { status: 200, body: { ok: true } };
  },
});
const handler = createHandler(echo);
const context = () => lambdaContext('test', 10_000);

const v1 = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, thingId = 'payrollId%3AA1') =>
  apiGatewayV1Event({ method: 'PUT', resource: echo.path, path: `/v1/things/${thingId}`, pathParams: { thingId }, query: new URLSearchParams(), headers, body, sourceIp: '127.0.0.1' });

const v2 = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
  version: '2.0',
  routeKey: 'PUT /v1/things/{thingId}',
  rawPath: '/v1/things/payrollId%3AA1',
  rawQueryString: '',
  headers,
  pathParameters: { thingId: 'payrollId%3AA1' },
  requestContext: { requestId: 'v2-request', http: { method: 'PUT', path: '/v1/things/payrollId%3AA1', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
  body,
  isBase64Encoded: false,
});

// A write named by an Idempotency-Key or an event id runs under an idempotency record: a real DynamoDB API holds it.
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
  vi.stubEnv('TABLE_NAME', dynamo.tableName);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.url);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  resetAwsClients();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  resetAwsClients();
  await dynamo?.stop();
});

beforeEach(() => {
  seen.length = 0;
  failWith = undefined;
  setLogSink(() => undefined);
});
afterEach(() => {
  delete process.env.EVENT_BUS_NAME;
});

describe('adapters', () => {
  it('v1, v2 and EventBridge produce the same input, path parameters decoded once', async () => {
    const body = JSON.stringify({ colour: 'red', size: 3 });
    const r1: any = await handler(v1(body), context());
    const r2: any = await handler(v2(body) as never, context());
    const r3: any = await handler(eventBridgeEvent({ source: 'hr', detailType: 'test.echo', detail: { thingId: 'payrollId:A1', colour: 'red', size: 3 } }) as never, context());
    expect(r1.statusCode).toBe(200);
    expect(r2.statusCode).toBe(200);
    expect(r3).toMatchObject({ status: 200, outcome: 'succeeded' });
    const inputs = seen.map((s: any) => s.input);
    expect(inputs[0]).toEqual({ params: { thingId: 'payrollId:A1' }, body: { colour: 'red', size: 3 } });
    expect(inputs[1]).toEqual(inputs[0]);
    expect(inputs[2]).toEqual(inputs[0]);
    expect(seen.map((s: any) => s.trigger)).toEqual(['http', 'http', 'event']);
  });

  it('base64-encoded bodies are decoded', async () => {
    const event = { ...v2(Buffer.from('{"colour":"blue"}').toString('base64')), isBase64Encoded: true };
    expect(((await handler(event as never, context())) as any).statusCode).toBe(200);
  });

  it('every HTTP failure is a problem document in the trigger’s own response shape', async () => {
    for (const event of [v1('{"colour":"green","x":1}'), v2('{"colour":"green","x":1}')]) {
      const response: any = await handler(event as never, context());
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      const problem = JSON.parse(response.body);
      expect(problem.errors).toEqual([
        { path: 'body.colour', message: expect.any(String) },
        { path: 'body.x', message: 'Unknown field' },
      ]);
    }
    expect(seen).toHaveLength(0);
  });

  it('Idempotency-Key: a safe one reaches the operation, an unsafe one is a 400', async () => {
    await handler(v1('{"colour":"red"}', { 'content-type': 'application/json', 'idempotency-key': 'hr-42' }), context());
    expect((seen[0] as any).idempotencyKey).toBe('hr-42');
    const bad: any = await handler(v1('{"colour":"red"}', { 'content-type': 'application/json', 'idempotency-key': 'two words' }), context());
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).errors[0].path).toBe('header.Idempotency-Key');
  });

  it('on the event path a retriable failure is thrown back to Lambda; an input failure is not', async () => {
    failWith = new Problem('vendor-unavailable', 'down');
    const event = eventBridgeEvent({ source: 'hr', detailType: 'test.echo', detail: { thingId: 't', colour: 'red' } });
    // Lambda records only the problem's type and (scrubbed) detail, never whatever was thrown.
    await expect(handler(event as never, context())).rejects.toMatchObject({ name: 'GatewayProblem', message: 'vendor-unavailable: down' });
    failWith = new Problem('vendor-not-found', 'gone');
    await expect(handler(event as never, context())).resolves.toMatchObject({ status: 404, outcome: 'failed' });
  });

  it('an event whose detail-type is not this operation is refused', async () => {
    const result: any = await handler(eventBridgeEvent({ source: 'hr', detailType: 'other.op', detail: { thingId: 't', colour: 'red' } }) as never, context());
    expect(result).toMatchObject({ status: 400, outcome: 'failed' });
    expect(seen).toHaveLength(0);
  });

  it('an unknown event shape fails loudly', async () => {
    await expect(handler({ hello: 'world' } as never, context())).rejects.toThrow(/Unsupported event/);
  });
});

describe('event fields (what HTTP callers send as a header)', () => {
  const withField = defineOperation({
    ...echo,
    name: 'test.withField',
    eventFields: zm.strictObject({ note: zm.optional(zm.string().check(zm.maxLength(3))) }),
  });
  const fieldHandler = createHandler(withField);
  const event = (detail: Record<string, unknown>) => eventBridgeEvent({ source: 'hr', detailType: 'test.withField', detail }) as never;

  it('are split off an event detail into input.event, never into the body', async () => {
    await fieldHandler(event({ thingId: 't', colour: 'red', note: 'ok' }), context());
    await fieldHandler(event({ thingId: 't', colour: 'red' }), context());
    expect(seen.map((s: any) => s.input)).toEqual([
      { params: { thingId: 't' }, body: { colour: 'red' }, event: { note: 'ok' } },
      { params: { thingId: 't' }, body: { colour: 'red' } },
    ]);
  });

  it('are validated with the rest, every bad field reported at once; over HTTP they are unknown body fields', async () => {
    const result: any = await fieldHandler(event({ thingId: 't', colour: 'green', note: 'too long' }), context());
    expect(result).toMatchObject({ status: 400, outcome: 'failed' });
    expect(result.problem.errors.map((e: { path: string }) => e.path)).toEqual(['detail.colour', 'detail.note']);
    const http: any = await fieldHandler(
      apiGatewayV1Event({ method: 'PUT', resource: withField.path, path: '/v1/things/t', pathParams: { thingId: 't' }, query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: '{"colour":"red","note":"ok"}', sourceIp: '127.0.0.1' }),
      context(),
    );
    expect(JSON.parse(http.body).errors).toEqual([{ path: 'body.note', message: 'Unknown field' }]);
    expect(seen).toHaveLength(0);
  });
});
