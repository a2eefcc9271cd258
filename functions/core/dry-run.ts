/**
 * Dry runs: the exact vendor requests an operation would send, credentials shown as `[redacted]`,
 * built without reading a secret and without sending, storing or counting anything.
 */
import * as z from 'zod/mini';
import { VENDORS } from './problem';
import { SCRUBBED } from './secret-scrubber';
import type { OperationContext } from './operation';
import type { VendorRequest, VendorSpec } from './vendor';
import { prepareRequest } from './vendor-call';

const plannedRequest = z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.unknown()), body: z.optional(z.unknown()) });
type PlannedRequest = z.output<typeof plannedRequest>;

/** What a dry run answers, per vendor: the requests, or why that vendor would be left alone. */
const plannedVendor = z.union([
  z.object({ requests: z.array(plannedRequest), skipped: z.optional(z.array(z.string())) }),
  z.object({ outcome: z.enum(['skipped', 'failed']), reason: z.optional(z.string()), skipped: z.optional(z.array(z.string())), error: z.optional(z.unknown()) }),
]);
export type PlannedVendor = z.output<typeof plannedVendor>;

/** The answer of every `?dryRun=true`, documented in the OpenAPI document from this schema. */
export const dryRunBody = z.object({ dryRun: z.literal(true), driverId: z.optional(z.string()), vendors: z.partialRecord(z.enum(VENDORS), plannedVendor) });
export type DryRunBody = z.output<typeof dryRunBody>;

/** Every credential shows as `[redacted]`: dry runs need no secret and reveal none. */
const placeholderSecret: unknown = new Proxy({}, { get: () => SCRUBBED });

/**
 * Without an Idempotency-Key a vendor idempotency key is derived from the API request id, which the
 * real request will not share: the dry run says so instead of showing a key that will never be sent.
 */
const PER_REQUEST_KEY = '[derived from the request; send an Idempotency-Key to know it in advance]';

export const describeRequest = <S>(spec: VendorSpec<S>, request: VendorRequest, ctx: Pick<OperationContext, 'idempotencyKey'>): PlannedRequest => {
  const secret = placeholderSecret as S;
  const prepared = prepareRequest(spec, request, secret);
  const perRequest = !ctx.idempotencyKey && prepared.headers['idempotency-key'] !== undefined ? { 'idempotency-key': PER_REQUEST_KEY } : {};
  return {
    method: prepared.method,
    url: prepared.url,
    // Basic auth encodes the placeholder, so credential headers are replaced outright.
    headers: { ...prepared.headers, ...perRequest, ...Object.fromEntries(Object.keys(spec.authHeaders(secret)).map((name) => [name, SCRUBBED])) },
    ...(prepared.body !== undefined ? { body: JSON.parse(prepared.body) as unknown } : {}),
  };
};

/** The dry-run answer of a vendor operation: one vendor, its requests. */
export const vendorDryRun = <S>(ctx: Pick<OperationContext, 'idempotencyKey'>, spec: VendorSpec<S>, ...requests: VendorRequest[]) => ({
  status: 200,
  body: { dryRun: true, vendors: { [spec.name]: { requests: requests.map((request) => describeRequest(spec, request, ctx)) } } } satisfies DryRunBody,
  summary: { dryRun: true },
});
