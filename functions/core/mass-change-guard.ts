/**
 * The answer to a bad HR export: beyond a limit of distinct vendor records sent a deactivation
 * within a window (default 25 in 10 minutes), deactivations are held until someone confirms them.
 *
 * What counts is a vendor record (`samsara:<id>`, `drivequant:<userId>`, `chargeapi:<driver>`),
 * once per window however often it is sent, and only when a deactivation was actually sent to it:
 * a record is reserved atomically before the call and released again when the call ended in a
 * definite failure (nothing sent, or the vendor refused). State lives in the gateway table, so
 * every Lambda instance sees the same count: one item per fixed window holding the set of records
 * and, per record, how many requests hold it (`guard#deactivations#<windowStart>`), expiring by TTL.
 *
 * A hold answers 428 `mass-change-held` with a random `confirmationToken`. Only that token, in the
 * same window, releases the hold, and only for the records that were held (`guard#hold#<hash>`):
 * a count, a guess or another request's token does not. A store failure is a 503, never a 428.
 * `MASS_CHANGE_LIMIT=0` switches the guard off (no table access at all).
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { createHash, randomBytes } from 'node:crypto';
import { numberFromEnv } from './config';
import type { Logger } from './logger';
import { emitMetric } from './metrics';
import { Problem, type VendorName } from './problem';
import { dynamo, isConditionFailure, storeProblem, tableName } from './table';
import { validationProblem } from './validation';

export const CONFIRM_HEADER = 'X-Confirm-Mass-Change';
export const CONFIRM_FIELD = 'confirmMassChange';

/** 128 random bits, base64url: what a hold issues and the only thing a confirmation accepts. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const TOKEN_MESSAGE = 'Must be the token a 428 mass-change-held problem gave (its confirmationToken: 22 characters of A-Z a-z 0-9 _ -)';
const COUNT_MESSAGE = 'A count is no longer accepted: repeat the held request with the token its 428 mass-change-held problem gave (confirmationToken)';

/** The key the guard counts for one vendor record. */
export const deactivationRecord = (vendor: Extract<VendorName, 'samsara' | 'drivequant' | 'chargeapi'>, id: string): string => `${vendor}:${id}`;

const guardSettings = () => ({
  limit: Math.floor(numberFromEnv('MASS_CHANGE_LIMIT', 25)),
  windowSeconds: Math.max(1, Math.floor(numberFromEnv('MASS_CHANGE_WINDOW_SECONDS', 600))),
});

/** The `confirmMassChange` field of a body or an event detail: a token, never a number. */
export const confirmMassChangeField = z.optional(
  z.string({ error: (issue) => (typeof issue.input === 'number' ? COUNT_MESSAGE : TOKEN_MESSAGE) }).check(z.regex(TOKEN_PATTERN, TOKEN_MESSAGE)),
);

/** The caller's confirmation: the body/event field if given, else the header (HTTP). */
export const confirmationOf = (headers: Record<string, string | undefined>, field?: string): string | undefined => {
  if (field !== undefined) return field;
  const header = headers[CONFIRM_HEADER.toLowerCase()];
  if (header === undefined) return undefined;
  const value = header.trim();
  if (TOKEN_PATTERN.test(value) && !/^\d+$/.test(value)) return value;
  const path = `header.${CONFIRM_HEADER}`;
  throw validationProblem([{ path, message: /^[+-]?\d[\d.,eE+]*$/.test(value) ? COUNT_MESSAGE : TOKEN_MESSAGE }]);
};

const windowKey = (windowStart: number) => ({ pk: { S: `guard#deactivations#${windowStart}` }, sk: { S: 'records' } });
/** Holds are stored under a hash of their token: the table never holds a usable token. */
const holdKey = (token: string) => ({ pk: { S: `guard#hold#${createHash('sha256').update(token).digest('base64url')}` }, sk: { S: 'hold' } });

interface Window {
  start: number;
  seconds: number;
  limit: number;
}

interface Reservation {
  window?: Window;
  /** Records this request holds in the window (each adds one to the record's holders). */
  held: string[];
}

/**
 * Each record carries a count of the requests holding it (`holders:<record>`): a failed request
 * gives up its hold, and the record leaves the window only when no request holds it any more — so
 * a duplicate deactivation that went through keeps it counted, whichever request ended first.
 */
const holders = (record: string) => ({ '#holders': `holders:${record}` });

/** Adds one record to the window: within the limit, already counted, or confirmed. */
const reserveOne = async (window: Window, record: string, confirmed: boolean): Promise<void> => {
  const values: Record<string, AttributeValue> = {
    ':r': { SS: [record] },
    ':one': { N: '1' },
    ':expires': { N: String(window.start + window.seconds * 2) },
  };
  if (!confirmed) {
    values[':rid'] = { S: record };
    values[':limit'] = { N: String(window.limit) };
  }
  await dynamo().send(
    new UpdateItemCommand({
      TableName: tableName(),
      Key: windowKey(window.start),
      UpdateExpression: 'ADD records :r, #holders :one SET expiresAt = :expires',
      ...(confirmed ? {} : { ConditionExpression: 'attribute_not_exists(records) OR size(records) < :limit OR contains(records, :rid)' }),
      ExpressionAttributeNames: holders(record),
      ExpressionAttributeValues: values,
    }),
  );
};

/** Gives up this request's hold on each record; a record no request holds any more leaves the window. */
const releaseFrom = async (window: Window, records: string[]): Promise<void> => {
  await Promise.all(
    records.map(async (record) => {
      const { Attributes } = await dynamo().send(
        new UpdateItemCommand({
          TableName: tableName(),
          Key: windowKey(window.start),
          UpdateExpression: 'ADD #holders :minusOne',
          ExpressionAttributeNames: holders(record),
          ExpressionAttributeValues: { ':minusOne': { N: '-1' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      if (Number(Attributes?.[`holders:${record}`]?.N ?? 0) > 0) return;
      await dynamo()
        .send(
          new UpdateItemCommand({
            TableName: tableName(),
            Key: windowKey(window.start),
            UpdateExpression: 'DELETE records :r',
            // Another request may have taken a hold since: then the record stays.
            ConditionExpression: '#holders <= :zero',
            ExpressionAttributeNames: holders(record),
            ExpressionAttributeValues: { ':r': { SS: [record] }, ':zero': { N: '0' } },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    }),
  );
};

/** Best effort: a store failure leaves the records counted (the safe side) and is logged. */
const releaseQuietly = (window: Window, records: string[], log: Logger): Promise<void> =>
  releaseFrom(window, records).catch((error: unknown) => log.warn('could not release deactivation records; they stay counted', { error }));

/** The records a token confirms in this window (none when unknown, expired or from another window). */
const confirmedRecords = async (token: string, window: Window): Promise<Set<string>> => {
  const { Item } = await dynamo().send(new GetItemCommand({ TableName: tableName(), Key: holdKey(token), ConsistentRead: true }));
  if (!Item || Item.windowStart?.N !== String(window.start)) return new Set();
  return new Set(Item.records?.SS ?? []);
};

/** Records the hold and reads the window's count (ConsistentRead: never a count the store had to guess). */
const holdProblem = async (window: Window, records: string[], log: Logger): Promise<Problem> => {
  const token = randomBytes(16).toString('base64url');
  const ends = window.start + window.seconds;
  const [, current] = await Promise.all([
    dynamo().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: { ...holdKey(token), windowStart: { N: String(window.start) }, records: { SS: records }, expiresAt: { N: String(ends) } },
      }),
    ),
    dynamo().send(new GetItemCommand({ TableName: tableName(), Key: windowKey(window.start), ConsistentRead: true, ProjectionExpression: 'records' })),
  ]);
  const count = current.Item?.records?.SS?.length ?? 0;
  const expiresAt = new Date(ends * 1000).toISOString();
  log.warn('mass change held', { records, count, limit: window.limit });
  emitMetric('MassChangeHeld', { guard: 'deactivations' });
  return new Problem(
    'mass-change-held',
    `${count} vendor records were already sent a deactivation in this ${Math.round(window.seconds / 60)}-minute window (limit ${window.limit}); ` +
      `this request would deactivate ${records.join(', ')}. If this is intended, repeat the same request with the header ${CONFIRM_HEADER}: ${token} ` +
      `(events: "${CONFIRM_FIELD}": "${token}"). The token confirms these records only and expires at ${expiresAt}.`,
    { extensions: { confirmationToken: token, confirmationExpiresAt: expiresAt, deactivationsInWindow: count, limit: window.limit } },
  );
};

/**
 * Reserves every record before anything is sent. All or nothing: when any record is held, those
 * reserved are released and the whole request is a 428; when the store fails, a 503.
 */
export const reserveDeactivations = async (records: string[], confirmation: string | undefined, log: Logger, now = Date.now()): Promise<Reservation> => {
  const { limit, windowSeconds } = guardSettings();
  const unique = [...new Set(records)].sort();
  if (limit <= 0 || unique.length === 0) return { held: [] };
  const start = Math.floor(now / 1000 / windowSeconds) * windowSeconds;
  const window: Window = { start, seconds: windowSeconds, limit };
  try {
    const confirmed = confirmation ? await confirmedRecords(confirmation, window) : new Set<string>();
    const settled = await Promise.allSettled(unique.map((record) => reserveOne(window, record, confirmed.has(record))));
    const held = unique.filter((_, i) => settled[i]!.status === 'fulfilled');
    const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    if (failures.length === 0) {
      if (confirmed.size > 0) log.warn('mass change confirmed', { records: unique.filter((record) => confirmed.has(record)) });
      return { window, held };
    }
    await releaseQuietly(window, held, log);
    const storeFailure = failures.find((error) => !isConditionFailure(error));
    if (storeFailure) throw storeFailure;
    throw await holdProblem(window, unique, log);
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw storeProblem('check the mass-change guard', error);
  }
};

/**
 * Releases records whose deactivation ended in a definite failure. Best effort: the vendor work is
 * done, so a store failure now leaves the records counted (the safe side) and is logged.
 */
export const releaseDeactivations = async (reservation: Reservation, records: string[], log: Logger): Promise<void> => {
  const own = [...new Set(records)].filter((record) => reservation.held.includes(record));
  if (!reservation.window || own.length === 0) return;
  await releaseQuietly(reservation.window, own, log);
};

/**
 * Whether a failed vendor call may have deactivated anything: an uncertain write may have, and so
 * may a call the vendor answered 2xx (with a body we could not use). A failed vendor — nothing
 * sent, or an answered refusal or error (4xx, 5xx) — releases the record, so that an outage cannot
 * use up the allowance. An error that is not a problem is a bug of ours: it stays counted.
 */
export const mayHaveApplied = (error: unknown): boolean => {
  if (!(error instanceof Problem)) return true;
  if (error.options.uncertain) return true;
  const status = error.options.vendor?.status;
  return status !== undefined && status >= 200 && status < 300;
};

/**
 * One vendor call that deactivates `record` (or nothing, when undefined): reserved first, released
 * when the call failed definitely, kept on success and on an uncertain outcome.
 */
export const guardedDeactivation = async <T>(record: string | undefined, confirmation: string | undefined, log: Logger, send: () => Promise<T>): Promise<T> => {
  if (record === undefined) return send();
  const reservation = await reserveDeactivations([record], confirmation, log);
  try {
    return await send();
  } catch (error) {
    if (!mayHaveApplied(error)) await releaseDeactivations(reservation, [record], log);
    throw error;
  }
};
