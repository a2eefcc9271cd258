/** Turns a vendor's non-2xx answer into the gateway's problem: whose fault it was decides the status. */
import { Problem, type ProblemType, type VendorRefusal } from './problem';
import { parseRetryAfter } from './retry';
import { scrubText } from './secret-scrubber';
import type { VendorSpec } from './vendor';
import type { VendorResponse } from './vendor-http';

const DEFAULT_RETRY_AFTER_SECONDS = 1;

const genericType = (status: number): ProblemType => {
  if (status === 401 || status === 403) return 'vendor-authentication';
  if (status === 404) return 'vendor-not-found';
  if (status === 409) return 'vendor-conflict';
  if (status === 429) return 'vendor-rate-limited';
  if (status === 408 || status === 504) return 'vendor-timeout';
  if (status >= 500) return 'vendor-unavailable';
  return 'vendor-rejected';
};

const DETAIL: Partial<Record<ProblemType, (vendor: string) => string>> = {
  'vendor-authentication': (v) => `${v} refused the gateway's credentials; check the ${v} secret.`,
  'vendor-not-found': (v) => `${v} has no such record.`,
  'vendor-conflict': (v) => `${v} refused the change because it conflicts with its current state.`,
  'vendor-rate-limited': (v) => `${v} is rate limiting the gateway; retry after the indicated delay.`,
  'vendor-timeout': (v) => `${v} timed out.`,
  'vendor-unavailable': (v) => `${v} failed to process the request.`,
  'vendor-rejected': (v) => `${v} rejected the request.`,
};

/** How much of a vendor's own words a problem repeats. */
const MAX_VENDOR_TEXT = 300;

/**
 * Vendor text is scrubbed of our secrets first and clipped after, so a clip can never leave the
 * first half of a credential that the vendor echoed back.
 */
const vendorText = (text: string | undefined): string | undefined => {
  if (!text) return undefined;
  const scrubbed = scrubText(text);
  return scrubbed.length > MAX_VENDOR_TEXT ? `${scrubbed.slice(0, MAX_VENDOR_TEXT - 1)}…` : scrubbed;
};

/** Codes and request ids are identifiers; anything else in their place is free text and is dropped. */
const IDENTIFIER = /^[A-Za-z0-9._:-]{1,128}$/;

const readRefusal = <S>(spec: VendorSpec<S>, response: VendorResponse): VendorRefusal => {
  const { code, message, requestId } = spec.describeError(response);
  const refusal: VendorRefusal = { name: spec.name, status: response.status };
  const text = vendorText(message);
  if (text) refusal.message = text;
  for (const [key, value] of [['code', code], ['requestId', requestId]] as const) {
    if (value && IDENTIFIER.test(value) && scrubText(value) === value) refusal[key] = value;
  }
  return refusal;
};

export const vendorProblem = <S>(spec: VendorSpec<S>, response: VendorResponse): Problem => {
  const refusal = readRefusal(spec, response);
  const type = spec.classifyError?.(response, refusal) ?? genericType(response.status);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  // The vendor's own words travel in `vendor.message` (quoted after the detail for callers only).
  const detail = DETAIL[type]?.(spec.name) ?? `${spec.name} refused the request.`;
  return new Problem(type, detail, {
    vendor: refusal,
    ...(type === 'vendor-rate-limited' ? { retryAfter: retryAfterMs !== undefined ? retryAfterMs / 1000 : DEFAULT_RETRY_AFTER_SECONDS } : {}),
  });
};

/** Best-effort reading of a string member from an unknown JSON body. */
export const stringMember = (body: unknown, key: string): string | undefined => {
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' && value ? value : undefined;
};
