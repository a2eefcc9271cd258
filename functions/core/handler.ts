/**
 * Binds one operation to the Lambda runtime: a middy pipeline that accepts API Gateway REST (v1),
 * HTTP API (v2) and EventBridge events, turns each into the same input, runs the operation and
 * turns the result back into a response or an outcome event.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { eventInput } from './adapters/eventbridge';
import { resultResponse, toApiGatewayResult } from './adapters/http-response';
import { outboundPolicy } from './config';
import { httpInput } from './http-request';
import { accessLog } from './middleware/access-log';
import { invocationContext, type GatewayContext, type Invocation } from './middleware/invocation-context';
import { problemResponses } from './middleware/problem-response';
import { withIdempotency } from './idempotency';
import { CONFIRM_FIELD } from './mass-change-guard';
import type { AnyOperation, OperationContext, OperationResult } from './operation';
import { queryOptions, type QueryOptions } from './query-options';
import { outcomeOf, problemSummary, publishOutcome } from './outcome-events';
import { safeId } from './correlation';
import { isProblem, Problem, type ProblemType } from './problem';
import { validationProblem } from './validation';

/** Room left after the vendor budget for logging and answering before Lambda's own timeout. */
const SAFETY_MARGIN_MS = 1_000;

const deadlineFor = (context: Context, startedAt: number): number => {
  const budget = outboundPolicy().budgetMs;
  const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS : budget;
  return startedAt + Math.max(0, Math.min(budget, remaining));
};

const operationContext = (
  operation: AnyOperation,
  invocation: Invocation,
  context: Context,
  requestKey: string,
  idempotencyKey: string | undefined,
): OperationContext => {
  const trigger = invocation.kind === 'eventbridge' ? 'event' : 'http';
  return {
    operation: operation.name,
    trigger,
    correlationId: invocation.correlationId,
    // Scoped like the idempotency records: one key used for two operations, or an HTTP key equal to an
    // event id, are different requests, and the vendor idempotency keys derived from them differ too.
    requestKey: `${trigger}:${operation.name}:${requestKey}`,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    headers: invocation.http?.headers ?? {},
    log: invocation.log,
    deadline: deadlineFor(context, invocation.startedAt),
  };
};

const idempotencyKeyHeader = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const key = safeId(value);
  if (!key) throw validationProblem([{ path: 'header.Idempotency-Key', message: 'Must be 1-128 characters of A-Z a-z 0-9 . _ : -' }]);
  return key;
};

type AnyInput = Parameters<AnyOperation['run']>[0];

/**
 * Dry run, or the operation itself; every write named by an Idempotency-Key or an event id runs
 * under an idempotency record (reads need none: repeating them changes nothing).
 */
const execute = (operation: AnyOperation, input: AnyInput, ctx: OperationContext, options: QueryOptions): Promise<OperationResult> => {
  if (options.dryRun) {
    if (!operation.dryRun) throw validationProblem([{ path: 'query.dryRun', message: `${operation.name} cannot be dry-run` }]);
    return operation.dryRun(input, ctx);
  }
  if (operation.method === 'GET' || !ctx.idempotencyKey) return operation.run(input, ctx);
  return withIdempotency({ operation: operation.name, trigger: ctx.trigger, key: ctx.idempotencyKey }, requestOf(input), ctx.log, () =>
    refusalsAsAnswers(() => operation.run(input, ctx)),
  );
};

/**
 * What names "the same request" for its idempotency key: the input without a mass-change
 * confirmation, which confirms a request rather than changing it (a held request repeated with its
 * token, then retried, is still that one request).
 */
const requestOf = (input: AnyInput): unknown => {
  const { body, event, ...rest } = input as { body?: unknown; event?: unknown };
  const strip = (value: unknown) =>
    value && typeof value === 'object' && CONFIRM_FIELD in value ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== CONFIRM_FIELD)) : value;
  return { ...rest, body: strip(body), ...(event !== undefined ? { event: strip(event) } : {}) };
};

/**
 * Refusals the caller fixes on the gateway's side before retrying with the same key: a held mass
 * change (its confirmed repeat must run), a header or stored link that is not valid, a driver
 * without links. Not frozen.
 */
const FIXABLE_REFUSALS: ReadonlySet<ProblemType> = new Set(['mass-change-held', 'validation-error', 'driver-not-linked']);

/**
 * A refusal no retry can change (a 4xx from the vendor: no such driver, a rejected change) is an
 * answer like a result: kept and replayed under its key, so the key cannot be reused for another
 * request.
 */
const refusalsAsAnswers = async (work: () => Promise<OperationResult>): Promise<OperationResult> => {
  try {
    return await work();
  } catch (error) {
    if (!isProblem(error) || error.status < 400 || error.status >= 500 || FIXABLE_REFUSALS.has(error.type)) throw error;
    const problem = error.toJSON();
    return { status: error.status, body: problem, headers: error.headers(), problem };
  }
};

const run = async (operation: AnyOperation, event: unknown, context: GatewayContext): Promise<unknown> => {
  const { invocation } = context;
  if (invocation.kind === 'eventbridge') {
    const input = eventInput(operation, event as never);
    const eventId = invocation.eventId ?? '';
    const result = await execute(operation, input, operationContext(operation, invocation, context, eventId, eventId), { dryRun: false });
    const outcome = outcomeOf(result.status);
    const replayed = result.headers?.['idempotent-replayed'] === 'true';
    const told = result.problem ? { problem: problemSummary(result.problem) } : { result: result.summary };
    const detail = { operation: operation.name, outcome, triggerEventId: eventId, correlationId: invocation.correlationId, status: result.status, ...told, ...(replayed ? { replayed } : {}) };
    await publishOutcome(detail, invocation.log, operation.outcomeDetailTypes);
    // An asynchronous invocation's return value may be recorded (e.g. by a destination): the same summary, nothing more.
    return { status: result.status, outcome, ...told };
  }
  if (!invocation.http) throw new Problem('configuration-error', `Unsupported event: ${operation.name} accepts API Gateway (v1, v2) and EventBridge events`);
  const options = queryOptions(operation.method, invocation.http.query, invocation.http.repeatedQuery);
  const input = httpInput(operation, invocation.http);
  const idempotencyKey = idempotencyKeyHeader(invocation.http.headers['idempotency-key']);
  const result = await execute(operation, input, operationContext(operation, invocation, context, idempotencyKey ?? invocation.http.requestId, idempotencyKey), options);
  return toApiGatewayResult(resultResponse(result, invocation.correlationId));
};

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Lambda calls it with a plain Context; the first middleware adds the invocation to it. */
export const createHandler = (operation: AnyOperation): LambdaHandler =>
  middy<unknown, unknown, Error, GatewayContext>()
    .use(invocationContext(operation.name))
    .use(accessLog())
    .use(problemResponses(operation))
    .handler((event, context) => run(operation, event, context)) as unknown as LambdaHandler;
