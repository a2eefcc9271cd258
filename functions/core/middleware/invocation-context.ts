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

/** True until this instance's first invocation has begun. */
let coldStart = true;

/** The trace id Lambda gives the invocation (`Root=…` of `_X_AMZN_TRACE_ID`), as X-Ray shows it. */
const traceId = (): string | undefined => /(?:^|;)Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];

export const describeInvocation = (operation: string, event: unknown, startedAt = Date.now(), requestId?: string): Invocation => {
  const kind = kindOf(event);
  const http = kind === 'api-gateway-v2' ? fromApiGatewayV2(event as never) : kind === 'api-gateway-v1' ? fromApiGatewayV1(event as never) : undefined;
  const eventId = kind === 'eventbridge' ? String((event as { id?: unknown }).id ?? '') : undefined;
  const correlationId = correlationIdFrom(http?.headers['x-correlation-id'], http?.requestId, eventId);
  // The keys Powertools for AWS Lambda uses, so the usual Logs Insights queries work on these lines.
  const log = createLogger({
    operation,
    correlationId,
    trigger: kind,
    cold_start: coldStart,
    ...(requestId ? { function_request_id: requestId } : {}),
    ...(traceId() ? { xray_trace_id: traceId() } : {}),
  });
  coldStart = false;
  return { kind, correlationId, log, startedAt, ...(http ? { http } : {}), ...(eventId !== undefined ? { eventId } : {}) };
};

export const invocationContext = (operation: string): MiddlewareObj<unknown, unknown, Error, GatewayContext> => ({
  name: 'invocationContext',
  before: (request) => {
    request.context.invocation = describeInvocation(operation, request.event, Date.now(), request.context.awsRequestId);
  },
});
