/** Driver links in DynamoDB: one item per driver, `pk = driver#<driverId>`, `sk = links`. */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, NumberValueImpl, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo, storeProblem, tableName } from '../core/table';
import { validationProblem } from '../core/validation';
import type { DriverLinks } from './model';

export interface StoredLinks {
  driverId: string;
  links: DriverLinks;
  updatedAt: string;
}

const key = (driverId: string) => marshall({ pk: `driver#${driverId}`, sk: 'links' });

export const getLinks = async (driverId: string): Promise<StoredLinks | undefined> => {
  const output = await dynamo()
    .send(new GetItemCommand({ TableName: tableName(), Key: key(driverId), ConsistentRead: true }))
    .catch((error: unknown) => {
      throw storeProblem('read the driver links', error);
    });
  if (!output.Item) return undefined;
  const item = unmarshall(output.Item, { wrapNumbers: true });
  // Whatever an older version (or a hand edit) stored, what leaves here is plain JSON data; the
  // fan-out checks each vendor's link against today's rules before using it.
  const links = plainJson(item.links);
  if (!links || typeof links !== 'object' || Array.isArray(links)) {
    throw validationProblem([{ path: 'links', message: 'The stored links are not an object' }], `The stored links of driver "${driverId}" are not readable; PUT /v1/drivers/${driverId}/links again.`);
  }
  return { driverId, links: links as DriverLinks, updatedAt: String(item.updatedAt) };
};

/** DynamoDB numbers (wrapped, so none is lost or turned into a BigInt), sets and binaries → JSON values. */
const plainJson = (value: unknown, depth = 0): unknown => {
  if (depth > 16) return undefined;
  if (value instanceof NumberValueImpl) return value.toString();
  if (value instanceof Set) return [...value].map((item) => plainJson(item, depth + 1));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => plainJson(item, depth + 1));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainJson(item, depth + 1)]));
  return value;
};

export const putLinks = async (driverId: string, links: DriverLinks): Promise<StoredLinks> => {
  const stored: StoredLinks = { driverId, links, updatedAt: new Date().toISOString() };
  await dynamo()
    .send(
      new PutItemCommand({
        TableName: tableName(),
        Item: marshall({ pk: `driver#${driverId}`, sk: 'links', links, updatedAt: stored.updatedAt }, { removeUndefinedValues: true }),
      }),
    )
    .catch((error: unknown) => {
      throw storeProblem('store the driver links', error);
    });
  return stored;
};
