/**
 * The embedded default: every registry route served on one port by building real API Gateway
 * events and calling the same handlers Lambda would, with vendor simulators and a Secrets
 * Manager / EventBridge fake on loopback. `POST /_local/events` plays EventBridge.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, Handler } from 'aws-lambda';
import * as z from 'zod';
import { resetAwsClients } from '../functions/core/aws-clients';
import { fleetGate } from '../functions/core/vendor-gate';
import { clearSecretCache } from '../functions/core/secrets';
import { baseUrlFault } from '../functions/core/config';
import { parseEventSources } from '../functions/core/event-sources';
import { buildOpenApi } from '../functions/core/openapi';
import { createLogger } from '../functions/core/logger';
import { Problem, VENDORS, type VendorName } from '../functions/core/problem';
import { registry, type RegistryEntry } from '../functions/registry';
import { startAwsFake, type AwsFake, type RecordedEvent } from './aws-fake';
import { startDynamo, type LocalDynamo } from './dynamodb-local';
import { localFunctionEnv } from './function-env';
import { apiGatewayV1Event, eventBridgeEvent, lambdaContext } from './lambda-events';
import { compileRoutes, matchRoute } from './routes';
import { loadLocalSecrets, type LocalSecrets } from './secrets-file';
import { startSimulators } from './simulators';

/** API Gateway's own payload limit; the functions enforce their tighter 1 MB themselves. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
/** Same as the deployed functions' timeout. */
const FUNCTION_TIMEOUT_MS = 25_000;

export interface LocalOptions {
  port?: number;
  host?: string;
  /** SIMULATOR_FAULTS syntax, e.g. `samsara=429:0.3`. */
  faults?: string;
  secrets?: LocalSecrets;
  /** Extra environment for the functions (e.g. VENDOR_BUDGET_MS), restored on stop. */
  env?: Record<string, string>;
  /** Quiet mode for tests: request lines go here instead of stdout. */
  log?: (line: string) => void;
}

export type Simulators = Awaited<ReturnType<typeof startSimulators>>;

export interface LocalGateway {
  url: string;
  aws: AwsFake;
  dynamo: LocalDynamo;
  simulators: Simulators;
  /** Vendors whose base URL came from the environment (live) instead of a simulator. */
  live: VendorName[];
  stop(): Promise<void>;
}

const secretId = (vendor: VendorName): string => process.env[`${vendor.toUpperCase()}_SECRET_ID`] || `driver-gateway/${vendor}`;

const readBody = (req: IncomingMessage, limit: number): Promise<string | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve('too-large');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** The origin-form path exactly as the client sent it (no dot-segment removal), or undefined. */
const rawPathOf = (target: string): string | undefined => (target.startsWith('/') ? target.split(/[?#]/, 1)[0] : undefined);

const send = (res: ServerResponse, status: number, headers: Record<string, string | number | boolean>, body: string): void => {
  // setHeader (not writeHead's argument) so the request log can read the correlation id back.
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, String(value));
  res.writeHead(status);
  res.end(body);
};

const sendProblem = (res: ServerResponse, problem: Problem, instance: string, extraHeaders: Record<string, string> = {}): void =>
  send(res, problem.status, { ...problem.headers(), ...extraHeaders }, JSON.stringify(problem.toJSON(instance)));

const flatHeaders = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]));

/** What `POST /_local/events` accepts: one PutEvents entry, `detail` as an object or a JSON string. */
const eventEntry = z.strictObject({
  'detail-type': z.string().min(1).max(128),
  source: z.string().min(1).max(256),
  detail: z.union([z.record(z.string(), z.unknown()), z.string()]),
  id: z.string().min(1).max(128).optional(),
  time: z.iso.datetime().optional(),
  /** Set by EventBridge on events replayed from an archive. */
  'replay-name': z.string().min(1).max(64).optional(),
});

export const startLocal = async (options: LocalOptions = {}): Promise<LocalGateway> => {
  const savedEnv = { ...process.env };
  const write = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = createLogger({ component: 'local-runner' });
  const secrets = options.secrets ?? loadLocalSecrets();

  const live = VENDORS.filter((vendor) => Boolean(process.env[`${vendor.toUpperCase()}_BASE_URL`]));
  // A live base URL the functions would refuse (credentials in it, not http(s)) stops the start, unquoted.
  for (const vendor of live) {
    const fault = baseUrlFault(process.env[`${vendor.toUpperCase()}_BASE_URL`]!);
    if (fault) throw new Error(`${vendor.toUpperCase()}_BASE_URL ${fault}.`);
  }
  const simulators = await startSimulators({ credentials: secrets, faults: options.faults ?? process.env.SIMULATOR_FAULTS });
  const aws = await startAwsFake({ secrets: Object.fromEntries(VENDORS.map((vendor) => [secretId(vendor), secrets[vendor]])) });
  const dynamo = await startDynamo();

  Object.assign(process.env, {
    ...localFunctionEnv({
      awsUrl: aws.url,
      dynamoUrl: dynamo.url,
      tableName: dynamo.tableName,
      vendorUrls: Object.fromEntries(VENDORS.filter((vendor) => !live.includes(vendor)).map((vendor) => [vendor, simulators.urls[vendor]])),
    }),
    ...options.env,
  });
  clearSecretCache();
  resetAwsClients();
  fleetGate.forget();
  const eventSources = parseEventSources(process.env.EVENT_SOURCES);

  const handlers = new Map<string, Handler>();
  for (const entry of registry) {
    const module = (await import(`../functions/${entry.handler}.ts`)) as { handler: Handler };
    handlers.set(entry.operation.name, module.handler);
  }
  const invoke = (entry: RegistryEntry, event: unknown): Promise<unknown> => {
    const context: Context = lambdaContext(`driver-gateway-${entry.handler}`, FUNCTION_TIMEOUT_MS);
    return Promise.resolve(handlers.get(entry.operation.name)!(event, context, () => undefined));
  };

  const routes = compileRoutes(registry);
  const openApi = JSON.stringify(buildOpenApi(registry.map((entry) => entry.operation)));

  const handleEvent = async (raw: string, res: ServerResponse): Promise<void> => {
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(raw);
    } catch {
      return sendProblem(res, new Problem('malformed-json', 'The event entry is not valid JSON.'), '/_local/events');
    }
    const parsed = eventEntry.safeParse(parsedJson);
    if (!parsed.success) {
      return sendProblem(res, new Problem('validation-error', 'Send one EventBridge entry: {"detail-type", "source", "detail"}.', {
        errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'entry', message: issue.message })),
      }), '/_local/events');
    }
    const entry = parsed.data;
    const target = registry.find((candidate) => candidate.operation.name === entry['detail-type']);
    // Like the deployed rules: only the configured sources trigger operations (never the gateway's own outcomes).
    if (!target || !eventSources.includes(entry.source)) {
      return sendProblem(
        res,
        new Problem('not-found', `No rule matches detail-type "${entry['detail-type']}" from source "${entry.source}" (accepted sources: ${eventSources.join(', ')}).`),
        '/_local/events',
      );
    }
    let detail: unknown = entry.detail;
    if (typeof detail === 'string') {
      try {
        detail = JSON.parse(detail);
      } catch {
        return sendProblem(res, new Problem('malformed-json', 'The event detail string is not valid JSON.'), '/_local/events');
      }
    }
    const event = eventBridgeEvent({ id: entry.id, source: entry.source, detailType: entry['detail-type'], detail, time: entry.time, replayName: entry['replay-name'] });
    const before = aws.events.length;
    let invocation: Record<string, unknown>;
    try {
      invocation = { invocation: 'succeeded', result: await invoke(target, event) };
    } catch (error) {
      // What Lambda would record for an asynchronous invocation that failed; EventBridge/Lambda retry it.
      invocation = { invocation: 'failed', error: { errorType: (error as Error).name, errorMessage: (error as Error).message } };
    }
    const outcomes: RecordedEvent[] = aws.events.slice(before);
    send(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ eventId: event.id, ...invocation, outcomes }));
  };

  const server: Server = createServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Routed on the path as sent, like API Gateway: URL parsing would turn /drivers/%2E%2E/status into /status.
    const rawPath = rawPathOf(req.url ?? '/') ?? url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    res.on('finish', () => {
      write(JSON.stringify({ timestamp: new Date().toISOString(), level: 'info', message: 'local request', method, path: url.pathname, status: res.statusCode, durationMs: Date.now() - started, correlationId: res.getHeader('x-correlation-id') }));
    });
    try {
      if (url.pathname === '/openapi.json' && method === 'GET') return send(res, 200, { 'content-type': 'application/json' }, openApi);
      const body = await readBody(req, API_GATEWAY_MAX_BODY);
      if (body === 'too-large') return sendProblem(res, new Problem('payload-too-large', 'API Gateway accepts at most 10 MB.'), url.pathname);
      if (url.pathname === '/_local/events') {
        if (method !== 'POST') return sendProblem(res, new Problem('method-not-allowed', 'Use POST.'), url.pathname, { allow: 'POST' });
        return await handleEvent(body, res);
      }
      const match = matchRoute(routes, method, rawPath);
      if (match.kind === 'not-found') return sendProblem(res, new Problem('not-found', `No route for ${url.pathname}.`), url.pathname);
      if (match.kind === 'method-not-allowed') {
        return sendProblem(res, new Problem('method-not-allowed', `${method} is not allowed on ${url.pathname}; use ${match.allowed.join(', ')}.`), url.pathname, { allow: match.allowed.join(', ') });
      }
      const event = apiGatewayV1Event({
        method,
        resource: match.route.resource,
        path: rawPath,
        pathParams: match.pathParams,
        query: url.searchParams,
        headers: flatHeaders(req),
        body: body === '' ? undefined : body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
      const result = (await invoke(match.route.entry, event)) as { statusCode: number; headers?: Record<string, string>; body?: string };
      send(res, result.statusCode, result.headers ?? {}, result.body ?? '');
    } catch (error) {
      log.error('local runner failure', { error });
      if (!res.headersSent) sendProblem(res, new Problem('internal-error', 'The local runner failed; see its log.'), url.pathname);
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    aws,
    dynamo,
    simulators,
    live,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([aws.stop(), dynamo.stop(), simulators.stop()]);
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
      clearSecretCache();
      resetAwsClients();
    },
  };
};
