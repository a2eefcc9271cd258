/**
 * Idempotency records in the gateway table: the first request with a key runs and its answer is
 * stored; a repeat with the same key and input gets that answer back, marked as replayed, without
 * touching a vendor; the same key with a different input is refused. Only a final answer is
 * stored: one that reports an uncertain or retriable failure is not, so the retry the answer
 * recommends really runs again (with the same vendor idempotency keys, derived from the same key).
 * Keys live in one namespace per operation and trigger: an HTTP key never meets an event id. A
 * repeat that arrives while the first is running waits briefly for its answer; in-progress records
 * expire with the function timeout, so a crashed invocation does not block its retry for long.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { createHash } from 'node:crypto';
import { numberFromEnv } from './config';
import type { Logger } from './logger';
import type { OperationResult, Trigger } from './operation';
import { Problem } from './problem';
import { sleep } from './retry';
import { dynamo, isConditionFailure, storeProblem, tableName } from './table';

/** How long a completed answer is replayed (ChargeAPI keeps its keys 24 h too). */
const COMPLETED_TTL_SECONDS = 24 * 60 * 60;

const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

export const fingerprint = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

interface IdempotencyScope {
  operation: string;
  trigger: Trigger;
  /** The caller's Idempotency-Key, or the EventBridge event id. */
  key: string;
}

const key = (scope: IdempotencyScope) => marshall({ pk: `idempotency#${scope.operation}#${scope.trigger}#${scope.key}`, sk: 'record' });
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** How long a repeat waits for the first request's answer before it is told to come back. */
const WAIT_FOR_FIRST_MS = 2_000;

type Claim = { kind: 'claimed' } | { kind: 'replay'; response: OperationResult };

const readRecord = async (scope: IdempotencyScope) => {
  const existing = await dynamo()
    .send(new GetItemCommand({ TableName: tableName(), Key: key(scope), ConsistentRead: true }))
    .catch((error: unknown) => {
      throw storeProblem('read the idempotency record', error);
    });
  return existing.Item ? unmarshall(existing.Item) : undefined;
};

const claim = async (scope: IdempotencyScope, print: string, waitUntil: number, attempt = 0): Promise<Claim> => {
  const now = nowSeconds();
  const inProgressSeconds = numberFromEnv('IDEMPOTENCY_IN_PROGRESS_SECONDS', 25);
  try {
    await dynamo().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: { ...key(scope), ...marshall({ status: 'in-progress', fingerprint: print, expiresAt: now + inProgressSeconds }) },
        // Expired records may linger until DynamoDB's TTL sweeper removes them: treat them as absent.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: marshall({ ':now': now }),
      }),
    );
    return { kind: 'claimed' };
  } catch (error) {
    if (!isConditionFailure(error)) throw storeProblem('record the idempotency key', error);
  }
  let record = await readRecord(scope);
  // The first request is still running: wait a little for its answer rather than send the caller away.
  for (let pause = 25; record?.status === 'in-progress' && record.fingerprint === print && Date.now() + pause < waitUntil; pause = Math.min(pause * 2, 250)) {
    await sleep(pause);
    record = await readRecord(scope);
  }
  if (!record) return attempt < 2 ? claim(scope, print, waitUntil, attempt + 1) : { kind: 'claimed' };
  if (record.fingerprint !== print) {
    throw new Problem('idempotency-key-reused', 'This Idempotency-Key was first used with a different request; use a new key for a new request.');
  }
  if (record.status === 'completed') return { kind: 'replay', response: record.response as OperationResult };
  throw new Problem('request-in-progress', 'The first request with this Idempotency-Key is still running; retry shortly to get its answer.', { retryAfter: 1, retriable: true });
};

const complete = (scope: IdempotencyScope, print: string, response: OperationResult) =>
  dynamo().send(
    new PutItemCommand({
      TableName: tableName(),
      Item: {
        ...key(scope),
        ...marshall({ status: 'completed', fingerprint: print, response, expiresAt: nowSeconds() + COMPLETED_TTL_SECONDS }, { removeUndefinedValues: true }),
      },
    }),
  );

const release = (scope: IdempotencyScope) =>
  dynamo().send(
    new DeleteItemCommand({
      TableName: tableName(),
      Key: key(scope),
      ConditionExpression: '#status = :inProgress',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: marshall({ ':inProgress': 'in-progress' }),
    }),
  );

/** Frees the key for a retry. Best effort: an in-progress record left behind expires with the function timeout. */
const releaseQuietly = (scope: IdempotencyScope, log: Logger): Promise<void> =>
  release(scope).then(
    () => undefined,
    (error: unknown) => log.warn('could not release idempotency key', { error }),
  );

/**
 * Runs `work` once per (operation, trigger, key, input). A thrown failure, or an answer that is not
 * final (`final: false`: something a retry may fix), releases the key so a retry runs again; a
 * final answer (even 207 or 404 results) is kept and replayed for 24 h.
 */
export const withIdempotency = async (
  scope: IdempotencyScope,
  input: unknown,
  log: Logger,
  work: () => Promise<OperationResult>,
  waitUntil = Date.now() + WAIT_FOR_FIRST_MS,
): Promise<OperationResult> => {
  const print = fingerprint(input);
  const claimed = await claim(scope, print, waitUntil);
  if (claimed.kind === 'replay') {
    log.info('idempotent replay', { idempotencyKey: scope.key });
    return { ...claimed.response, headers: { ...claimed.response.headers, 'idempotent-replayed': 'true' } };
  }
  let response: OperationResult;
  try {
    response = await work();
  } catch (error) {
    await releaseQuietly(scope, log);
    throw error;
  }
  if (response.final === false) {
    // Uncertain or retriable: the retry this answer recommends must run, not replay it.
    await releaseQuietly(scope, log);
    return response;
  }
  await complete(scope, print, response).catch(async (error: unknown) => {
    // The work is done; failing now would invite a retry that repeats it. Log and answer, and free
    // the key (an answer too large to store, say) rather than leave repeats a 409 until it expires.
    log.error('could not store the idempotent answer', { error });
    await releaseQuietly(scope, log);
  });
  return response;
};
