/**
 * The peer: the same operation written the way the middy and zod docs show —
 * @middy/secrets-manager, @middy/http-json-body-parser, @middy/http-error-handler and
 * `import { z } from 'zod'` (the benchmark's bundler rewrites our schemas' `zod/mini` import to it).
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import secretsManager from '@middy/secrets-manager';
import type * as z from 'zod/mini';

interface PeerOptions<P extends z.ZodMiniType, B extends z.ZodMiniType> {
  vendor: string;
  params: P;
  body: B;
  request(params: z.output<P>, body: z.output<B>, secret: Record<string, string>): { method: string; path: string; headers: Record<string, string>; body?: unknown };
}

export const peer = <P extends z.ZodMiniType, B extends z.ZodMiniType>(options: PeerOptions<P, B>) =>
  middy()
    .use(httpJsonBodyParser())
    .use(secretsManager({ fetchData: { credentials: process.env[`${options.vendor.toUpperCase()}_SECRET_ID`]! }, setToContext: true, cacheExpiry: 5 * 60 * 1000 }))
    .use(httpErrorHandler())
    .handler(async (event: any, context: any) => {
      const params = options.params.safeParse(event.pathParameters ?? {});
      const body = options.body.safeParse(event.body);
      if (!params.success || !body.success) {
        return { statusCode: 400, body: JSON.stringify({ errors: [...(params.error?.issues ?? []), ...(body.error?.issues ?? [])] }) };
      }
      const request = options.request(params.data, body.data, context.credentials);
      const response = await fetch(`${process.env[`${options.vendor.toUpperCase()}_BASE_URL`]}${request.path}`, {
        method: request.method,
        headers: { 'content-type': 'application/json', ...request.headers },
        body: JSON.stringify(request.body),
      });
      return { statusCode: response.status, body: await response.text() };
    });
