/**
 * The harness every vendor simulator runs in: request recording (credentials redacted), fault
 * injection decided before anything is applied, per-credential rate limiting, and the
 * simulator-only `/_sim/*` routes (`requests`, `reset`). Vendors supply only their contract.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drawFault, echoStatus, type FaultRule } from './faults';
import { TokenBucket } from './rate-limit';

export interface SimRequest {
  method: string;
  /** Path segments, each percent-decoded once. */
  segments: string[];
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: string;
  /** Parsed JSON body, or undefined when absent or not JSON. */
  body: unknown;
  jsonError: boolean;
}

export interface SimReply {
  status: number;
  /** Objects are sent as JSON, strings as text/plain. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  /** The path as the vendor's router sees it (parsed, dot segments resolved). */
  path: string;
  /** The path exactly as it arrived on the wire (the request target up to `?`), before any parsing. */
  rawPath: string;
  headers: Record<string, string>;
  body: unknown;
  /** Epoch ms when the request arrived: lets a benchmark see the rate the vendor saw per window. */
  at: number;
  /** The status answered, once answered (undefined for a reset or a timeout fault). */
  status?: number;
}

export interface VendorContract {
  name: string;
  /** The credential this request presents, or undefined when it presents none that is valid. */
  authenticate(request: SimRequest): string | undefined;
  unauthorized(): SimReply;
  rateLimited(retryAfterSeconds: number | undefined): SimReply;
  serverError(status: number): SimReply;
  /**
   * The `echo-<status>` fault: this vendor's own answer shape at `status`, carrying `message`
   * (which repeats the credentials the request presented). A 200 is the vendor's success shape
   * with `note: message` added, except where the vendor refuses inside a 200 (Focus).
   */
  echo(status: number, message: string, request: SimRequest): SimReply;
  handle(request: SimRequest): SimReply;
  /** Simulator-only inspection routes under /_sim/ (never part of the vendor's API). */
  inspect?(request: SimRequest): SimReply | undefined;
  reset(): void;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'drivekit-admin-api-key', 'x-api-key']);
const CREDENTIAL_FIELDS = new Set(['fleet_token', 'password']);
const MAX_BODY = 12 * 1024 * 1024;

const redactBody = (body: unknown): unknown =>
  body && typeof body === 'object' && !Array.isArray(body)
    ? Object.fromEntries(Object.entries(body).map(([k, v]) => [k, CREDENTIAL_FIELDS.has(k) ? '[redacted]' : v]))
    : body;

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * What a careless vendor says when it refuses credentials: the value it was sent, verbatim
 * (`Authorization` or `DriveKit-Admin-API-Key`, plus Focus's `fleet_token` from the body).
 */
export const credentialEcho = (request: SimRequest): string => {
  const presented = request.headers.authorization ?? request.headers['drivekit-admin-api-key'] ?? '';
  const body = request.body;
  const fleetToken = body && typeof body === 'object' && !Array.isArray(body) && 'fleet_token' in body ? (body as Record<string, unknown>).fleet_token : undefined;
  return `Invalid credentials: ${presented}${fleetToken !== undefined ? ` fleet_token=${String(fleetToken)}` : ''}`;
};

/** The `Retry-After` header of a 429: Samsara sends fractional seconds, the others whole seconds. */
export const retryAfter = (seconds: number | undefined, fractional = false): Record<string, string> =>
  seconds === undefined ? {} : { 'retry-after': fractional ? seconds.toFixed(5) : String(Math.max(1, Math.ceil(seconds))) };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimReply => ({ status, body, headers });

export interface SimulatorHandle {
  name: string;
  url: string;
  requests: RecordedRequest[];
  /** 429s answered since the last reset (rate limit and injected faults alike). */
  rateLimited(): number;
  setFaults(rules: FaultRule[]): void;
  reset(): void;
  stop(): Promise<void>;
}

export const startSimulator = async (
  contract: VendorContract,
  options: { faults?: FaultRule[]; ratePerSecond?: number; orgRatePerSecond?: number; slowMs?: number; host?: string; log?: boolean; random?: () => number },
): Promise<SimulatorHandle> => {
  let faults = options.faults ?? [];
  const requests: RecordedRequest[] = [];
  let answered429 = 0;
  const limiter = new TokenBucket(options.ratePerSecond ?? 0);
  /** Shared by every credential: the vendor's limit for the whole account. */
  const orgLimiter = new TokenBucket(options.orgRatePerSecond ?? 0);
  const slowMs = options.slowMs ?? Number(process.env.SIMULATOR_SLOW_MS ?? 1500);

  const send = (res: ServerResponse, reply: SimReply, recorded?: RecordedRequest): void => {
    if (recorded) recorded.status = reply.status;
    if (recorded && reply.status === 429) answered429 += 1;
    const requestId = `${contract.name.slice(0, 3)}-${randomUUID().slice(0, 8)}`;
    const text = typeof reply.body === 'string';
    res.writeHead(reply.status, {
      'content-type': text ? 'text/plain; charset=utf-8' : 'application/json',
      'x-request-id': requestId,
      ...reply.headers,
    });
    res.end(reply.body === undefined ? '' : text ? (reply.body as string) : JSON.stringify(reply.body));
  };

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const rawBody = await readBody(req);
    let body: unknown;
    let jsonError = false;
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        jsonError = true;
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]));
    const request: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      segments: url.pathname.split('/').filter(Boolean).map(decode),
      query: url.searchParams,
      headers,
      rawBody,
      body,
      jsonError,
    };

    if (request.segments[0] === '_sim') {
      if (request.segments[1] === 'requests') return send(res, json(200, requests));
      if (request.segments[1] === 'reset' && request.method === 'POST') {
        handle.reset();
        return send(res, { status: 204 });
      }
      return send(res, contract.inspect?.(request) ?? json(404, { message: 'No such simulator route' }));
    }

    const recorded: RecordedRequest = {
      at: Date.now(),
      method: request.method,
      path: request.path,
      rawPath: (req.url ?? '/').split('?')[0]!,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, CREDENTIAL_HEADERS.has(k) ? '[redacted]' : v])),
      body: redactBody(body ?? (rawBody || undefined)),
    };
    requests.push(recorded);
    const answer = (reply: SimReply): void => send(res, reply, recorded);
    if (options.log) process.stdout.write(`${JSON.stringify({ simulator: contract.name, method: request.method, path: request.path })}\n`);

    const fault = drawFault(faults, options.random);
    if (fault === 'reset') return req.socket.destroy();
    if (fault === 'timeout') return; // never answer; the client gives up, stop() closes the socket
    if (fault === 'garbage') return answer({ status: 200, body: '<html>upstream oops</html>', headers: { 'content-type': 'text/html' } });
    if (fault === 429) return answer(contract.rateLimited(0.5 + Math.random() * 0.5));
    if (fault === '429-no-retry-after') return answer(contract.rateLimited(undefined));
    if (fault === 401) return answer(contract.unauthorized());
    const echo = echoStatus(fault);
    if (echo !== undefined) return answer(contract.echo(echo, credentialEcho(request), request));
    if (typeof fault === 'number') return answer(contract.serverError(fault));
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, slowMs));

    const credential = contract.authenticate(request);
    if (credential === undefined) return answer(contract.unauthorized());
    const allowed = limiter.take(credential);
    if (!allowed.ok) return answer(contract.rateLimited(allowed.retryAfterSeconds));
    const orgAllowed = orgLimiter.take('organisation');
    if (!orgAllowed.ok) return answer(contract.rateLimited(orgAllowed.retryAfterSeconds));
    answer(contract.handle(request));
  });

  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const handle: SimulatorHandle = {
    name: contract.name,
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    requests,
    rateLimited: () => answered429,
    setFaults: (rules) => {
      faults = rules;
    },
    reset: () => {
      requests.length = 0;
      answered429 = 0;
      limiter.reset();
      orgLimiter.reset();
      contract.reset();
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return handle;
};
