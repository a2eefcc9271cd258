/**
 * The gateway's one DynamoDB table (driver links and idempotency records).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lazyClient } from './aws-clients';
import { Problem } from './problem';

export const dynamo = lazyClient('dynamodb', () => new DynamoDBClient({}));

export const tableName = (): string => {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Problem('configuration-error', 'TABLE_NAME is not set.');
  return name;
};

/** DynamoDB errors are ours, never the caller's: a 503 the caller may retry. */
export const storeProblem = (what: string, cause: unknown): Problem =>
  new Problem('store-unavailable', `The gateway could not ${what}; retry later.`, { cause });

/** A conditional write that found the condition false: an expected answer, not a store failure. */
export const isConditionFailure = (error: unknown): boolean => (error as Error)?.name === 'ConditionalCheckFailedException';
