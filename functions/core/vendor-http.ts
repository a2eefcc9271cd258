/**
 * One outbound HTTP exchange with a vendor, with the gateway's retry policy: per-attempt timeout,
 * a shared deadline, exponential backoff with full jitter on 429/5xx/network errors/unreadable
 * bodies, and `Retry-After` honoured. Requests that are not safe to repeat are sent once.
 */
import type { OutboundPolicy } from './config';
import type { Logger } from './logger';
import { Problem, type VendorName } from './problem';
import { fullJitterDelay, parseRetryAfter, sleep } from './retry';
import { circuitOpen, fleetGate, type Admission, type AttemptOutcome, type VendorGate } from './vendor-gate';

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
  /** The fleet-wide budget and circuit every attempt passes (replaceable in unit tests of the HTTP rules). */
  gate?: VendorGate;
  /**
   * The first attempt's admission, already under way (taken while the secret was read). Whoever took
   * it gives it back if the call fails before sending (vendor-call.ts `exchange`).
   */
  firstAdmission?: Promise<Admission>;
}

type Failure =
  | { kind: 'response'; response: VendorResponse }
  | { kind: 'garbage'; response: VendorResponse }
  | { kind: 'oversized'; status: number }
  | { kind: 'timeout' }
  | { kind: 'network'; error: unknown; sent: boolean };

/**
 * Errors that prove the request never left: the connection or its TLS handshake failed before a
 * byte of the request was written, so nothing can have been applied.
 */
const NOT_SENT = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);
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

/** A vendor answer larger than this is not read: a hostile or broken vendor cannot fill our memory. */
const MAX_VENDOR_BODY_BYTES = 1024 * 1024;

/** The body as text, or undefined (and the stream cancelled) once it exceeds `maxBytes`. */
const readCapped = async (res: Response, maxBytes: number): Promise<string | undefined> => {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return declared > maxBytes ? undefined : '';
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Builds what fetch would build from the request, so that a bad header or URL fails here, before
 * anything left the process, instead of inside fetch, whose error quotes the whole header value.
 */
const assertSendable = (request: PreparedRequest): void => {
  const fault = (): string | undefined => {
    for (const [name, value] of Object.entries(request.headers)) {
      try {
        new Headers([[name, value]]);
      } catch {
        return `header ${JSON.stringify(name)}`;
      }
    }
    try {
      new URL(request.url);
    } catch {
      return 'URL';
    }
    return undefined;
  };
  const what = fault();
  if (what) {
    throw new Problem('configuration-error', `The ${request.vendor} request could not be built (its ${what} is invalid); nothing was sent.`);
  }
};

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

const transient = (status: number): boolean => status === 429 || status >= 500;

/** The vendor refused our credentials (which may have been rotated since we read them). */
export const isAuthFailure = (status: number): boolean => status === 401 || status === 403;

/**
 * What an attempt says about the vendor: alive, unwell (it failed, timed out or sent garbage), busy
 * (429), or nothing: refused keys (the caller re-reads the secret and counts the refusal only if that
 * does not help), or a timeout that our own deadline cut shorter than the attempt timeout.
 */
const outcomeOf = (failed: Failure | undefined, answered: number | undefined, pauseMs: number, cutShort: boolean): AttemptOutcome => {
  if (failed?.kind === 'timeout' && cutShort) return { kind: 'neutral' };
  if (failed && failed.kind !== 'response') return { kind: 'unhealthy' };
  const status = failed?.response.status ?? answered ?? 0;
  if (status === 429) return { kind: 'busy', pauseMs };
  if (isAuthFailure(status)) return { kind: 'neutral' };
  return status >= 500 ? { kind: 'unhealthy' } : { kind: 'healthy' };
};

export const sendWithRetries = async (request: PreparedRequest, options: SendOptions): Promise<VendorResponse> => {
  const { policy, deadline, retrySafe, log } = options;
  const doFetch = options.fetch ?? fetch;
  const gate = options.gate ?? fleetGate;
  assertSendable(request);
  let failure: Failure = { kind: 'timeout' };
  let attempt = 0;
  /** Whether any attempt may have reached the vendor: then the write may have been applied, whatever came later. */
  let maybeSent = false;

  while (attempt < policy.maxAttempts) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    attempt += 1;
    let admission;
    try {
      admission = await (attempt === 1 && options.firstAdmission ? options.firstAdmission : gate.admit(request.vendor, { deadline, attemptTimeoutMs: policy.attemptTimeoutMs }));
    } catch (error) {
      // No budget left for a retry, or the circuit opened meanwhile: report how the attempts that did go out ended.
      if (attempt === 1) throw error;
      attempt -= 1;
      break;
    }
    // The one probe's lease runs from its sending (it may have been taken alongside the secret read).
    if (!(await gate.renew(admission, policy.attemptTimeoutMs))) {
      if (attempt === 1) throw circuitOpen(request.vendor, 0);
      attempt -= 1;
      break;
    }
    const started = Date.now();
    const timeoutMs = Math.max(0, Math.min(policy.attemptTimeoutMs, deadline - started));
    let retryAfterMs: number | undefined;
    /** This attempt's failure; undefined when it got an answer to hand back. */
    let failed: Failure | undefined;
    let answer: VendorResponse | undefined;
    try {
      const res = await doFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      maybeSent = true;
      const text = await readCapped(res, MAX_VENDOR_BODY_BYTES);
      log.info('vendor call', { vendor: request.vendor, method: request.method, status: res.status, attempt, durationMs: Date.now() - started });
      if (text === undefined) {
        failed = { kind: 'oversized', status: res.status };
      } else {
        const response: VendorResponse = { status: res.status, headers: res.headers, text, json: parseJson(text), attempts: attempt };
        if (transient(res.status)) {
          failed = { kind: 'response', response };
          retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        } else if (res.status >= 200 && res.status < 300 && response.json === undefined) {
          failed = { kind: 'garbage', response };
        } else {
          answer = response;
        }
      }
    } catch (error) {
      // A timed-out attempt may have been delivered; a later "connection refused" does not undo that.
      maybeSent ||= isTimeout(error) || wasSent(error);
      failed = isTimeout(error) ? { kind: 'timeout' } : { kind: 'network', error, sent: maybeSent };
      log.warn('vendor call failed', { vendor: request.vendor, method: request.method, attempt, failure: failed.kind, durationMs: Date.now() - started });
    }
    // A 429 without Retry-After pauses the fleet on our own backoff schedule, without the jitter.
    const pauseMs = retryAfterMs ?? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    await gate.settle(admission, outcomeOf(failed, answer?.status, pauseMs, timeoutMs < policy.attemptTimeoutMs), log);
    if (answer) return answer;
    failure = failed!;

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
    case 'oversized':
      throw new Problem('vendor-unavailable', `${vendor} answered ${failure.status} with a body over ${MAX_VENDOR_BODY_BYTES} bytes, which was not read (after ${attempts} attempt(s))${failure.status < 300 ? '; the change may have been applied' : ''}.`, {
        vendor: { name: vendor, status: failure.status },
        ...(failure.status >= 200 && failure.status < 300 ? uncertain : {}),
      });
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
