/** API Gateway HTTP API (payload v2) events ⇄ the trigger-neutral request/response. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { decodePathParam, type HttpRequest } from '../http-request';
import type { HttpResponse } from './http-response';

export const isApiGatewayV2 = (event: unknown): event is APIGatewayProxyEventV2 =>
  typeof event === 'object' && event !== null && (event as { version?: unknown }).version === '2.0' && 'requestContext' in event;

export const fromApiGatewayV2 = (event: APIGatewayProxyEventV2): HttpRequest => ({
  method: event.requestContext.http.method.toUpperCase(),
  path: event.rawPath,
  pathParams: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, v === undefined ? v : decodePathParam(v)])),
  query: { ...(event.queryStringParameters ?? {}) },
  // HTTP API already lower-cases header names.
  headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
  ...(event.body != null ? { body: event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body } : {}),
  requestId: event.requestContext.requestId,
});

export const toApiGatewayV2 = (response: HttpResponse): APIGatewayProxyStructuredResultV2 => ({
  statusCode: response.status,
  headers: response.headers,
  body: response.body,
});
