/**
 * Calls a vendor with its credentials: prepare (base URL + auth), send with retries, re-read the
 * secret once on 401/403 in case it was rotated, and turn a refusal into a problem.
 */
import type * as z from 'zod/mini';
import { baseUrlFor, outboundPolicy, type OutboundPolicy } from './config';
import type { Logger } from './logger';
import { emitMetric, emitMetrics } from './metrics';
import { Problem } from './problem';
import { rememberSecrets } from './secret-scrubber';
import { getCredentials, refreshCredentials, type Credentials } from './secrets';
import type { VendorRequest, VendorSpec } from './vendor';
import { vendorProblem } from './vendor-errors';
import { fleetGate, releaseUnused, type Admission } from './vendor-gate';
import { assertTarget } from './vendor-path';
import { isAuthFailure, sendWithRetries, type PreparedRequest, type VendorResponse } from './vendor-http';

export interface OutboundContext {
  /** The operation calling (a dimension of the per-call metrics). */
  operation?: string;
  /** Epoch ms by which every vendor exchange of this invocation must be over. */
  deadline: number;
  log: Logger;
  policy?: OutboundPolicy;
  fetch?: typeof fetch;
}

const USER_AGENT = 'driver-gateway/0.1';

/** Credentials already remembered for scrubbing: a secret object is new only after a (re-)read. */
const remembered = new WeakSet<object>();

const authHeadersOf = <S>(spec: VendorSpec<S>, secret: S): Record<string, string> => {
  const headers = spec.authHeaders(secret);
  if (secret && typeof secret === 'object' && !remembered.has(secret)) {
    // The header values (e.g. Basic base64(user:pass)) are forms of the secret of their own.
    rememberSecrets(Object.values(headers));
    remembered.add(secret);
  }
  return headers;
};

export const prepareRequest = <S>(spec: VendorSpec<S>, request: VendorRequest, secret: S): PreparedRequest => {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT, ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, authHeadersOf(spec, secret));
  const baseUrl = baseUrlFor(spec.name, spec.productionUrl);
  const url = `${baseUrl}${request.path}`;
  assertTarget(url, baseUrl, request.path);
  return {
    vendor: spec.name,
    method: request.method,
    url,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(spec.signBody ? spec.signBody(request.body, secret) : request.body) } : {}),
  };
};

const statusClassOf = (status: number | undefined): string => (status === undefined ? 'none' : `${Math.floor(status / 100)}xx`);

/** How a call ended, for the per-call metrics: the dashboard's and the alarms' words. */
const outcomeOf = (error: unknown): { outcome: string; statusClass: string } => {
  if (!(error instanceof Problem)) return { outcome: 'failed', statusClass: 'none' };
  const statusClass = statusClassOf(error.options.vendor?.status);
  if (error.options.uncertain) return { outcome: 'uncertain', statusClass };
  if (error.type === 'vendor-circuit-open') return { outcome: 'circuit-open', statusClass };
  if (error.type === 'vendor-rate-limited') return { outcome: 'rate-limited', statusClass };
  return { outcome: 'failed', statusClass };
};

/**
 * Every attempt passes the vendor's fleet-wide budget and circuit (vendor-gate.ts) inside
 * sendWithRetries. Each call ends in one metrics line: its latency and outcome, by vendor and
 * operation and by vendor and outcome.
 */
export const callVendor = async <S>(spec: VendorSpec<S>, request: VendorRequest, ctx: OutboundContext): Promise<VendorResponse> => {
  const started = Date.now();
  const record = ({ outcome, statusClass }: { outcome: string; statusClass: string }) =>
    emitMetrics(
      { VendorCalls: { value: 1, unit: 'Count' }, VendorCallLatency: { value: Date.now() - started, unit: 'Milliseconds' } },
      { vendor: spec.name, operation: ctx.operation ?? 'unknown', outcome, statusClass },
      [['vendor', 'operation'], ['vendor', 'outcome', 'statusClass']],
    );
  let response: VendorResponse;
  try {
    response = await exchange(spec, request, ctx);
  } catch (error) {
    record(outcomeOf(error));
    throw error;
  }
  const statusClass = statusClassOf(response.status);
  if (response.status >= 200 && response.status < 300) {
    record({ outcome: 'succeeded', statusClass });
    return response;
  }
  if (isAuthFailure(response.status)) emitMetric('VendorAuthenticationFailures', { vendor: spec.name });
  record({ outcome: 'failed', statusClass });
  throw vendorProblem(spec, response);
};

/** Sends with the cached credentials, re-reading them once if the vendor refuses them. */
const exchange = async <S>(spec: VendorSpec<S>, request: VendorRequest, ctx: OutboundContext): Promise<VendorResponse> => {
  const policy = ctx.policy ?? outboundPolicy();
  const send = (secret: S, firstAdmission?: Promise<Admission>): Promise<VendorResponse> =>
    sendWithRetries(prepareRequest(spec, request, secret), {
      policy,
      deadline: ctx.deadline,
      retrySafe: request.retrySafe,
      log: ctx.log,
      fetch: ctx.fetch,
      firstAdmission,
    });

  // The first attempt's slot is taken while the secret is read: on a cold start each is the first
  // request of its client, and neither needs the other. A refusal waits until it is awaited.
  const abandon = new AbortController();
  const firstSlot = fleetGate.admit(spec.name, { deadline: ctx.deadline, attemptTimeoutMs: policy.attemptTimeoutMs, signal: abandon.signal });
  firstSlot.catch(() => undefined);
  let credentials: Credentials<S>;
  let response: VendorResponse;
  try {
    credentials = await getCredentials(spec);
    response = await send(credentials.value, firstSlot);
  } catch (error) {
    // Nothing may have been sent (no secret, a request that could not be built): stop waiting for
    // the slot, and give a probe's lease back.
    abandon.abort();
    await releaseUnused(fleetGate, firstSlot, ctx.log);
    throw error;
  }
  if (isAuthFailure(response.status)) {
    // The secret may have been rotated since we cached it: read it again, once, and retry only if it changed.
    const fresh = await refreshCredentials(spec, credentials);
    if (JSON.stringify(fresh.value) !== JSON.stringify(credentials.value)) {
      ctx.log.info('vendor credentials re-read after refusal', { vendor: spec.name });
      response = await send(fresh.value);
    }
  }
  // Refused keys count against the vendor's circuit only now, once the re-read could not fix them:
  // a rotation seen by many instances at once must not open it.
  if (isAuthFailure(response.status)) await fleetGate.countFailure(spec.name, ctx.log);
  return response;
};

/** The vendor said 2xx; if the body is not what the contract promises, that is the vendor's fault (502). */
export const expectBody = <T>(vendor: VendorSpec<unknown>['name'], response: VendorResponse, schema: z.ZodMiniType<T>): T => {
  const parsed = schema.safeParse(response.json);
  if (parsed.success) return parsed.data;
  throw new Problem('vendor-unavailable', `${vendor} answered ${response.status} without the expected body.`, {
    vendor: { name: vendor, status: response.status },
  });
};
