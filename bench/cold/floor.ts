/**
 * The floor: the least any handler for an operation can do — read its secret through the AWS SDK
 * and make one fetch to the vendor. No validation, no middleware, no logging.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const client = new SecretsManagerClient({});
let secret: Record<string, string> | undefined;

export const handler = async (event: { body?: string }) => {
  secret ??= JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: process.env.FLOOR_SECRET_ID }))).SecretString ?? '{}');
  const response = await fetch(process.env.FLOOR_URL!, {
    method: process.env.FLOOR_METHOD,
    headers: { 'content-type': 'application/json', [process.env.FLOOR_AUTH_HEADER!]: `${process.env.FLOOR_AUTH_PREFIX ?? ''}${Object.values(secret!)[0]}` },
    body: event.body,
  });
  return { statusCode: response.status, body: await response.text() };
};
