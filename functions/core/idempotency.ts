/**
 * Idempotency records in the gateway table: the first request with a key runs and its answer is
 * stored; a repeat with the same key and input gets that answer back without touching a vendor;
 * the same key with a different input is refused. In-progress records expire with the function
 * timeout, so a crashed invocation does not block its retry for long.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { createHash } from 'node:crypto';
import { numberFromEnv } from './config';
import type { Logger } from './logger';
import type { OperationResult } from './operation';
import { Problem } from './problem';
import { dynamo, storeProblem, tableName } from './table';

/** How long a completed answer is replayed (ChargeAPI keeps its keys 24 h too). */
const COMPLETED_TTL_SECONDS = 24 * 60 * 60;

const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

export const fingerprint = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

const key = (operation: string, idempotencyKey: string) => marshall({ pk: `idempotency#${operation}#${idempotencyKey}`, sk: 'record' });
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const isConditionFailure = (error: unknown): boolean => (error as Error)?.name === 'ConditionalCheckFailedException';

type Claim = { kind: 'claimed' } | { kind: 'replay'; response: OperationResult };

const claim = async (operation: string, idempotencyKey: string, print: string, attempt = 0): Promise<Claim> => {
  const now = nowSeconds();
  const inProgressSeconds = numberFromEnv('IDEMPOTENCY_IN_PROGRESS_SECONDS', 25);
  try {
    await dynamo().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: { ...key(operation, idempotencyKey), ...marshall({ status: 'in-progress', fingerprint: print, expiresAt: now + inProgressSeconds }) },
        // Expired records may linger until DynamoDB's TTL sweeper removes them: treat them as absent.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: marshall({ ':now': now }),
      }),
    );
    return { kind: 'claimed' };
  } catch (error) {
    if (!isConditionFailure(error)) throw storeProblem('record the idempotency key', error);
  }
  const existing = await dynamo()
    .send(new GetItemCommand({ TableName: tableName(), Key: key(operation, idempotencyKey), ConsistentRead: true }))
    .catch((error: unknown) => {
      throw storeProblem('read the idempotency record', error);
    });
  if (!existing.Item) return attempt < 1 ? claim(operation, idempotencyKey, print, attempt + 1) : { kind: 'claimed' };
  const record = unmarshall(existing.Item);
  if (record.fingerprint !== print) {
    throw new Problem('idempotency-key-reused', 'This Idempotency-Key was first used with a different request; use a new key for a new request.');
  }
  if (record.status === 'completed') return { kind: 'replay', response: record.response as OperationResult };
  const retryAfter = Math.max(1, Number(record.expiresAt) - now);
  throw new Problem('request-in-progress', 'The first request with this Idempotency-Key is still running; retry to get its answer.', { retryAfter, retriable: true });
};

const complete = (operation: string, idempotencyKey: string, print: string, response: OperationResult) =>
  dynamo().send(
    new PutItemCommand({
      TableName: tableName(),
      Item: {
        ...key(operation, idempotencyKey),
        ...marshall({ status: 'completed', fingerprint: print, response, expiresAt: nowSeconds() + COMPLETED_TTL_SECONDS }, { removeUndefinedValues: true }),
      },
    }),
  );

const release = (operation: string, idempotencyKey: string) =>
  dynamo().send(
    new DeleteItemCommand({
      TableName: tableName(),
      Key: key(operation, idempotencyKey),
      ConditionExpression: '#status = :inProgress',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: marshall({ ':inProgress': 'in-progress' }),
    }),
  );

/**
 * Runs `work` once per (operation, key, input). Without a key it just runs. A thrown failure
 * releases the key so a retry can run again; an answer (even 207/502 results) is kept.
 */
export const withIdempotency = async (
  operation: string,
  idempotencyKey: string | undefined,
  input: unknown,
  log: Logger,
  work: () => Promise<OperationResult>,
): Promise<OperationResult> => {
  if (!idempotencyKey) return work();
  const print = fingerprint(input);
  const claimed = await claim(operation, idempotencyKey, print);
  if (claimed.kind === 'replay') {
    log.info('idempotent replay', { idempotencyKey });
    return { ...claimed.response, headers: { ...claimed.response.headers, 'idempotent-replayed': 'true' } };
  }
  let response: OperationResult;
  try {
    response = await work();
  } catch (error) {
    await release(operation, idempotencyKey).catch((releaseError: unknown) => log.warn('could not release idempotency key', { error: releaseError }));
    throw error;
  }
  await complete(operation, idempotencyKey, print, response).catch((error: unknown) => {
    // The work is done; failing now would invite a retry that repeats it. Log and answer.
    log.error('could not store the idempotent answer', { error });
  });
  return response;
};
