/**
 * One outbound HTTP exchange with a vendor, with the gateway's retry policy: per-attempt timeout,
 * a shared deadline, exponential backoff with full jitter on 429/5xx/network errors/unreadable
 * bodies, and `Retry-After` honoured. Requests that are not safe to repeat are sent once.
 */
import type { OutboundPolicy } from './config';
import type { Logger } from './logger';
import { Problem, type VendorName } from './problem';
import { spendRateBudget } from './rate-budget';
import { fullJitterDelay, parseRetryAfter, sleep } from './retry';

export interface PreparedRequest {
  vendor: VendorName;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface VendorResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON; undefined otherwise. */
  json: unknown;
  attempts: number;
}

export interface SendOptions {
  policy: OutboundPolicy;
  /** Epoch ms by which the whole exchange, retries included, must be over. */
  deadline: number;
  /** True when repeating the request cannot apply it twice (idempotent, or carries an idempotency key). */
  retrySafe: boolean;
  log: Logger;
  fetch?: typeof fetch;
  random?: () => number;
}

type Failure =
  | { kind: 'response'; response: VendorResponse }
  | { kind: 'garbage'; response: VendorResponse }
  | { kind: 'timeout' }
  | { kind: 'network'; error: unknown; sent: boolean };

/** Connection errors that prove the request never left: nothing can have been applied. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const wasSent = (error: unknown): boolean => {
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return !(code && NOT_SENT.has(code));
};

const parseJson = (text: string): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

const transient = (status: number): boolean => status === 429 || status >= 500;

export const sendWithRetries = async (request: PreparedRequest, options: SendOptions): Promise<VendorResponse> => {
  const { policy, deadline, retrySafe, log } = options;
  const doFetch = options.fetch ?? fetch;
  let failure: Failure = { kind: 'timeout' };
  let attempt = 0;

  while (attempt < policy.maxAttempts) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    attempt += 1;
    await spendRateBudget(request.vendor, deadline);
    const started = Date.now();
    let retryAfterMs: number | undefined;
    try {
      const res = await doFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(Math.min(policy.attemptTimeoutMs, remaining)),
        redirect: 'manual',
      });
      const text = await res.text();
      const response: VendorResponse = { status: res.status, headers: res.headers, text, json: parseJson(text), attempts: attempt };
      log.info('vendor call', { vendor: request.vendor, method: request.method, status: res.status, attempt, durationMs: Date.now() - started });
      if (transient(res.status)) {
        failure = { kind: 'response', response };
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      } else if (res.status >= 200 && res.status < 300 && response.json === undefined) {
        failure = { kind: 'garbage', response };
      } else {
        return response;
      }
    } catch (error) {
      failure = isTimeout(error) ? { kind: 'timeout' } : { kind: 'network', error, sent: wasSent(error) };
      log.warn('vendor call failed', { vendor: request.vendor, method: request.method, attempt, failure: failure.kind, durationMs: Date.now() - started });
    }

    if (!retrySafe || attempt >= policy.maxAttempts) break;
    const delay = retryAfterMs ?? fullJitterDelay(attempt - 1, policy.baseDelayMs, policy.maxDelayMs, options.random);
    // Sleeping past the deadline only turns a clear answer into a timeout: give the answer now.
    if (Date.now() + delay >= deadline) break;
    await sleep(delay);
  }

  return settle(request, failure, attempt);
};

/** What the last failure becomes once retries are over. A final 4xx/5xx response is returned for mapping. */
const settle = (request: PreparedRequest, failure: Failure, attempts: number): VendorResponse => {
  const vendor = request.vendor;
  // A write that went out and got no answer may have been applied: say so, with the key a retry must reuse.
  const uncertain = request.method !== 'GET' ? { uncertain: { ...(request.headers['idempotency-key'] ? { idempotencyKey: request.headers['idempotency-key'] } : {}) } } : {};
  switch (failure.kind) {
    case 'response':
      return failure.response;
    case 'garbage':
      throw new Problem('vendor-unavailable', `${vendor} answered ${failure.response.status} with a body that is not JSON (after ${attempts} attempt(s)); the change may have been applied.`, {
        vendor: { name: vendor, status: failure.response.status },
        ...uncertain,
      });
    case 'timeout':
      throw new Problem('vendor-timeout', `${vendor} did not answer within the time budget (${attempts} attempt(s)); the change may or may not have been applied.`, {
        vendor: { name: vendor },
        ...uncertain,
      });
    case 'network':
      throw new Problem('vendor-unavailable', failure.sent
        ? `${vendor} dropped the connection (${attempts} attempt(s)); the change may or may not have been applied.`
        : `${vendor} could not be reached (${attempts} attempt(s)); nothing was sent.`, {
        vendor: { name: vendor },
        cause: failure.error,
        ...(failure.sent ? uncertain : {}),
      });
  }
};
