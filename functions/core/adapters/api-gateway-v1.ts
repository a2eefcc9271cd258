/** API Gateway REST API (payload v1) proxy events → the trigger-neutral request. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { normalized, type HttpRequest } from '../http-request';

export const isApiGatewayV1 = (event: unknown): event is APIGatewayProxyEvent =>
  typeof event === 'object' && event !== null && 'httpMethod' in event && 'requestContext' in event;

export const fromApiGatewayV1 = (event: APIGatewayProxyEvent): HttpRequest => ({
  method: event.httpMethod.toUpperCase(),
  path: event.path,
  ...normalized.pathParams(event.pathParameters),
  query: { ...(event.queryStringParameters ?? {}) },
  ...normalized.repeatedQuery(event.multiValueQueryStringParameters),
  headers: normalized.headers(event.headers),
  ...normalized.body(event.body, event.isBase64Encoded),
  requestId: event.requestContext?.requestId ?? '',
});
