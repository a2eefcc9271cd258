/**
 * What the core needs to know about a vendor: where it lives, how its secret looks, how to
 * authenticate, and how to read its error bodies. Each provider folder exports one of these.
 */
import type { SecretSpec } from './secrets';
import type { VendorRefusal } from './problem';
import type { VendorResponse } from './vendor-http';
import type { ProblemType } from './problem';

export interface VendorSpec<S> extends SecretSpec<S> {
  /** Production base URL; undefined when the vendor has none (Focus: per-customer site). */
  productionUrl?: string;
  authHeaders(secret: S): Record<string, string>;
  /** Adds credentials that travel in the body (Focus `fleet_token`). */
  signBody?(body: unknown, secret: S): unknown;
  /** Reads code/message/requestId from an error response; must not throw on any body. */
  describeError(response: VendorResponse): Omit<VendorRefusal, 'name' | 'status'>;
  /** Vendor-specific exceptions to the generic status → problem mapping. */
  classifyError?(response: VendorResponse, refusal: VendorRefusal): ProblemType | undefined;
}

/** A request as the provider builds it, before credentials and base URL are applied. */
export interface VendorRequest {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Path below the base URL, every dynamic segment already encoded. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to repeat: the call is idempotent or carries the vendor's idempotency key. */
  retrySafe: boolean;
}
