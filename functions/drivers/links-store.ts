/** Driver links in DynamoDB: one item per driver, `pk = driver#<driverId>`, `sk = links`. */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo, storeProblem, tableName } from '../core/table';
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
  const item = unmarshall(output.Item);
  return { driverId, links: item.links as DriverLinks, updatedAt: String(item.updatedAt) };
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
