/**
 * Before anything else: work out which trigger this is, the correlation id and a logger bound to
 * both, so every later step (and every log line) carries them.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { fromApiGatewayV1, isApiGatewayV1 } from '../adapters/api-gateway-v1';
import { fromApiGatewayV2, isApiGatewayV2 } from '../adapters/api-gateway-v2';
import { isEventBridge } from '../adapters/eventbridge';
import { correlationIdFrom } from '../correlation';
import type { HttpRequest } from '../http-request';
import { createLogger, type Logger } from '../logger';

export type EventKind = 'api-gateway-v1' | 'api-gateway-v2' | 'eventbridge' | 'unknown';

export interface Invocation {
  kind: EventKind;
  correlationId: string;
  log: Logger;
  startedAt: number;
  /** Set for the two API Gateway kinds. */
  http?: HttpRequest;
  /** Set for EventBridge. */
  eventId?: string;
}

export type GatewayContext = Context & { invocation: Invocation };

const kindOf = (event: unknown): EventKind =>
  isEventBridge(event) ? 'eventbridge' : isApiGatewayV2(event) ? 'api-gateway-v2' : isApiGatewayV1(event) ? 'api-gateway-v1' : 'unknown';

export const describeInvocation = (operation: string, event: unknown, startedAt = Date.now()): Invocation => {
  const kind = kindOf(event);
  const http = kind === 'api-gateway-v2' ? fromApiGatewayV2(event as never) : kind === 'api-gateway-v1' ? fromApiGatewayV1(event as never) : undefined;
  const eventId = kind === 'eventbridge' ? String((event as { id?: unknown }).id ?? '') : undefined;
  const correlationId = correlationIdFrom(http?.headers['x-correlation-id'], http?.requestId, eventId);
  const log = createLogger({ operation, correlationId, trigger: kind });
  return { kind, correlationId, log, startedAt, ...(http ? { http } : {}), ...(eventId !== undefined ? { eventId } : {}) };
};

export const invocationContext = (operation: string): MiddlewareObj<unknown, unknown, Error, GatewayContext> => ({
  name: 'invocationContext',
  before: (request) => {
    request.context.invocation = describeInvocation(operation, request.event);
  },
});
