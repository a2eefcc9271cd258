/**
 * The one item per vendor in the gateway table that every Lambda instance shares for its rate
 * budget and circuit (`vendor#<name>` / `gate`). Only conditional single-item updates: DynamoDB
 * applies them one at a time, so two instances can never take the same slot or both open a circuit.
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import type { VendorName } from './problem';
import { dynamo, isConditionFailure, storeProblem, tableName } from './table';

const gateItem = z.object({
  /** The next free request slot (epoch ms): the budget's theoretical arrival time. */
  tat: z.optional(z.number()),
  /** Until when the vendor asked the whole fleet to wait (a 429's Retry-After). */
  pausedUntil: z.optional(z.number()),
  /** Consecutive failed attempts, fleet-wide. */
  failures: z.optional(z.number()),
  /** Present while the circuit is open (until then) or half-open (after it). */
  openUntil: z.optional(z.number()),
  /** The one probe allowed while half-open: its token and the end of its lease. */
  probe: z.optional(z.string()),
  probeUntil: z.optional(z.number()),
});
/** `corrupt`: the item exists but is not ours (hand-edited, wrong types): the gate repairs it. */
export type GateItem = z.infer<typeof gateItem> & { corrupt?: true };

const key = (vendor: VendorName) => marshall({ pk: `vendor#${vendor}`, sk: 'gate' });

/** Our own item, yet parsed: a hand-edited or foreign item must not become NaN arithmetic. */
const parseItem = (attributes: Record<string, AttributeValue> | undefined): GateItem => {
  const parsed = gateItem.safeParse(attributes ? unmarshall(attributes) : {});
  return parsed.success ? parsed.data : { corrupt: true };
};

/** `consistent: false` costs half and may miss the last second's writes: for checks that only save work. */
export const readGate = async (vendor: VendorName, consistent = true): Promise<GateItem> => {
  const answer = await dynamo()
    .send(new GetItemCommand({ TableName: tableName(), Key: key(vendor), ConsistentRead: consistent }))
    .catch((error: unknown) => {
      throw storeProblem(`read the ${vendor} call budget`, error);
    });
  return parseItem(answer.Item);
};

export interface GateUpdate {
  update: string;
  condition?: string;
  values: Record<string, number | string>;
}

/** The item after the update, or `applied: false` with the item as it was when the condition failed. */
export type UpdateResult = { applied: true; item: GateItem } | { applied: false; item: GateItem };

export const updateGate = async (vendor: VendorName, change: GateUpdate): Promise<UpdateResult> => {
  try {
    const answer = await dynamo().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: key(vendor),
        UpdateExpression: change.update,
        ConditionExpression: change.condition,
        ExpressionAttributeValues: marshall(change.values),
        ReturnValues: 'ALL_NEW',
        // DynamoDB returns the item with the refusal, saving a read; where it does not (dynalite), we read.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { applied: true, item: parseItem(answer.Attributes) };
  } catch (error) {
    // A wrong-typed attribute (say `failures` as a string) makes arithmetic fail: the item is not ours.
    if ((error as Error)?.name === 'ValidationException' && (await readGate(vendor)).corrupt) return { applied: false, item: { corrupt: true } };
    if (!isConditionFailure(error)) throw storeProblem(`update the ${vendor} call budget`, error);
    const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
    return { applied: false, item: returned ? parseItem(returned) : await readGate(vendor) };
  }
};

/** Starts the vendor's item over (idle budget, closed circuit) when it holds what the gate cannot read. */
export const repairGate = async (vendor: VendorName): Promise<void> => {
  await dynamo()
    .send(new PutItemCommand({ TableName: tableName(), Item: { ...key(vendor), ...marshall({ tat: Date.now(), failures: 0 }) } }))
    .catch((error: unknown) => {
      throw storeProblem(`repair the ${vendor} call budget`, error);
    });
};
