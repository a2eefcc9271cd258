/** Builds the events AWS would deliver: an API Gateway REST (v1) proxy event and an EventBridge event. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context, EventBridgeEvent } from 'aws-lambda';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_STAGE = 'v1';

export interface IncomingHttp {
  method: string;
  resource: string;
  path: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | undefined;
  sourceIp: string;
}

export const apiGatewayV1Event = (request: IncomingHttp): APIGatewayProxyEvent => {
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of request.query) (multiQuery[key] ??= []).push(value);
  const now = Date.now();
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(multiQuery).length ? Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v.at(-1)!])) : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: Object.keys(request.pathParams).length ? request.pathParams : null,
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      path: `/${LOCAL_STAGE}${request.path}`,
      stage: LOCAL_STAGE,
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: request.resource,
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: request.sourceIp, user: null,
        userAgent: request.headers['user-agent'] ?? null, userArn: null,
      },
    },
  };
};

export const eventBridgeEvent = (entry: { id?: string; source: string; detailType: string; detail: unknown; time?: string; replayName?: string }): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: entry.id ?? randomUUID(),
  'detail-type': entry.detailType,
  source: entry.source,
  account: LOCAL_ACCOUNT,
  time: entry.time ?? new Date().toISOString(),
  region: LOCAL_REGION,
  resources: [],
  detail: entry.detail,
  ...(entry.replayName ? { 'replay-name': entry.replayName } : {}),
});

/** The Lambda context the handlers read: mostly the remaining time, which bounds the vendor budget. */
export const lambdaContext = (functionName: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
