/**
 * The answer to a bad HR export: deactivations beyond a limit within a window (default 25 in 10
 * minutes) are held until someone confirms them. Counted in the gateway table, so every Lambda
 * instance sees the same count; fixed windows, each item expiring by TTL.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { numberFromEnv } from '../core/config';
import { Problem } from '../core/problem';
import { dynamo, storeProblem, tableName } from '../core/table';

export const CONFIRM_HEADER = 'X-Confirm-Mass-Change';

const isConditionFailure = (error: unknown): boolean => (error as Error)?.name === 'ConditionalCheckFailedException';

/**
 * Counts one deactivation, or refuses it with a 428 `mass-change-held` problem when the window's
 * limit is reached and `confirmedCount` (the header or the event's `confirmMassChange`) does not
 * cover it: the caller confirms by repeating the request with the count the problem names.
 */
export const countDeactivation = async (confirmedCount: number | undefined, now = Date.now()): Promise<void> => {
  const limit = numberFromEnv('MASS_CHANGE_LIMIT', 25);
  const windowSeconds = numberFromEnv('MASS_CHANGE_WINDOW_SECONDS', 600);
  if (limit <= 0) return;
  const windowStart = Math.floor(now / 1000 / windowSeconds) * windowSeconds;
  const key = marshall({ pk: `guard#deactivations#${windowStart}`, sk: 'count' });
  const add = (condition?: { expression: string; limitValue: number }) =>
    dynamo().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
        ...(condition ? { ConditionExpression: condition.expression } : {}),
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: marshall({ ':one': 1, ':expires': windowStart + windowSeconds * 2, ...(condition ? { ':limit': condition.limitValue } : {}) }),
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  try {
    // Within the limit, or confirmed up to this count: counted at once.
    const ceiling = Math.max(limit, confirmedCount ?? 0);
    await add({ expression: 'attribute_not_exists(#count) OR #count < :limit', limitValue: ceiling });
  } catch (error) {
    if (!isConditionFailure(error)) throw storeProblem('count the deactivation', error);
    const item = (error as { Item?: Record<string, never> }).Item;
    const count = item ? Number(unmarshall(item).count) : limit;
    const minutes = Math.round(windowSeconds / 60);
    throw new Problem(
      'mass-change-held',
      `${count} drivers were already deactivated in the last ${minutes} minutes (limit ${limit}). If this is intended, repeat the request with ${CONFIRM_HEADER}: ${count + 1} (events: "confirmMassChange": ${count + 1}).`,
    );
  }
};
