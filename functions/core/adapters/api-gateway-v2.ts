/** API Gateway HTTP API (payload v2) events → the trigger-neutral request. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { normalized, type HttpRequest } from '../http-request';

export const isApiGatewayV2 = (event: unknown): event is APIGatewayProxyEventV2 =>
  typeof event === 'object' && event !== null && (event as { version?: unknown }).version === '2.0' && 'requestContext' in event;

export const fromApiGatewayV2 = (event: APIGatewayProxyEventV2): HttpRequest => ({
  method: event.requestContext.http.method.toUpperCase(),
  path: event.rawPath,
  ...normalized.pathParams(event.pathParameters),
  query: { ...(event.queryStringParameters ?? {}) },
  headers: normalized.headers(event.headers),
  ...normalized.body(event.body, event.isBase64Encoded),
  requestId: event.requestContext.requestId,
});
