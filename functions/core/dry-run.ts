/**
 * Dry runs: the exact vendor requests an operation would send, credentials shown as `[redacted]`,
 * built without reading a secret and without sending, storing or counting anything.
 */
import type { VendorName } from './problem';
import type { VendorRequest, VendorSpec } from './vendor';
import { prepareRequest } from './vendor-call';

export interface PlannedRequest {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  body?: unknown;
}

/** What a dry run answers, per vendor: the requests, or why that vendor would be left alone. */
export type PlannedVendor =
  | { requests: PlannedRequest[]; skipped?: string[] }
  | { outcome: 'skipped' | 'failed'; reason?: string; skipped?: string[]; error?: unknown };

export interface DryRunBody {
  dryRun: true;
  driverId?: string;
  vendors: Partial<Record<VendorName, PlannedVendor>>;
}

/** Every credential shows as `[redacted]`: dry runs need no secret and reveal none. */
const placeholderSecret: unknown = new Proxy({}, { get: () => '[redacted]' });

export const describeRequest = <S>(spec: VendorSpec<S>, request: VendorRequest): PlannedRequest => {
  const secret = placeholderSecret as S;
  const prepared = prepareRequest(spec, request, secret);
  return {
    method: prepared.method,
    url: prepared.url,
    // Basic auth encodes the placeholder, so credential headers are replaced outright.
    headers: { ...prepared.headers, ...Object.fromEntries(Object.keys(spec.authHeaders(secret)).map((name) => [name, '[redacted]'])) },
    ...(prepared.body !== undefined ? { body: JSON.parse(prepared.body) as unknown } : {}),
  };
};

/** The dry-run answer of a vendor operation: one vendor, its requests. */
export const vendorDryRun = <S>(spec: VendorSpec<S>, ...requests: VendorRequest[]) => ({
  status: 200,
  body: { dryRun: true, vendors: { [spec.name]: { requests: requests.map((request) => describeRequest(spec, request)) } } } satisfies DryRunBody,
  summary: { dryRun: true },
});
