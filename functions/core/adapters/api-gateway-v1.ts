/** API Gateway REST API (payload v1) proxy events ⇄ the trigger-neutral request/response. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { decodePathParam, type HttpRequest } from '../http-request';
import type { HttpResponse } from './http-response';

export const isApiGatewayV1 = (event: unknown): event is APIGatewayProxyEvent =>
  typeof event === 'object' && event !== null && 'httpMethod' in event && 'requestContext' in event;

const lowerCaseKeys = (headers: Record<string, string | undefined> | null): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));

const decodeValues = (params: Record<string, string | undefined> | null): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(params ?? {}).map(([name, value]) => [name, value === undefined ? value : decodePathParam(value)]));

export const fromApiGatewayV1 = (event: APIGatewayProxyEvent): HttpRequest => ({
  method: event.httpMethod.toUpperCase(),
  path: event.path,
  pathParams: decodeValues(event.pathParameters),
  query: { ...(event.queryStringParameters ?? {}) },
  headers: lowerCaseKeys(event.headers),
  ...(event.body != null ? { body: event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body } : {}),
  requestId: event.requestContext?.requestId ?? '',
});

export const toApiGatewayV1 = (response: HttpResponse): APIGatewayProxyResult => ({
  statusCode: response.status,
  headers: response.headers,
  body: response.body,
});
