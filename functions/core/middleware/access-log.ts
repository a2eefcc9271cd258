/** One structured line per invocation: what was asked, how it ended, how long it took. */
import type { MiddlewareObj } from '@middy/core';
import type { GatewayContext } from './invocation-context';

const statusOf = (response: unknown): number | undefined =>
  typeof response === 'object' && response !== null && 'statusCode' in response ? Number(response.statusCode) : undefined;

export const accessLog = (): MiddlewareObj<unknown, unknown, Error, GatewayContext> => {
  const write = (request: { context: GatewayContext; response: unknown; error: Error | null }): void => {
    const { invocation } = request.context;
    if (!invocation) return;
    invocation.log.info(invocation.http ? 'request' : 'event', {
      ...(invocation.http ? { method: invocation.http.method, path: invocation.http.path } : { eventId: invocation.eventId }),
      status: statusOf(request.response) ?? (request.error ? 'error' : 'ok'),
      durationMs: Date.now() - invocation.startedAt,
    });
  };
  return { name: 'accessLog', after: write, onError: write };
};
