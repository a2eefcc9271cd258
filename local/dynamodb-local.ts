/**
 * A real DynamoDB API on loopback (dynalite), with the gateway table created the way the CDK stack
 * defines it, so the same @aws-sdk/client-dynamodb code runs locally, in tests and in AWS.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export const LOCAL_TABLE = 'driver-gateway-local';

export interface LocalDynamo {
  url: string;
  tableName: string;
  stop(): Promise<void>;
}

export const startDynamo = async (tableName = LOCAL_TABLE): Promise<LocalDynamo> => {
  // Zero delays: the table is ACTIVE as soon as CreateTable returns.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
  return {
    url,
    tableName,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
