/**
 * RFC 9457 problem details. Every failure leaves the gateway as one of these, with a stable `type`
 * that callers can switch on; `title` is fixed per type, `detail` explains this occurrence.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const VENDORS = ['samsara', 'drivequant', 'chargeapi', 'focus'] as const;
export type VendorName = (typeof VENDORS)[number];

/** The catalogue of problem types: slug → [HTTP status, title]. One place to read them all. */
export const PROBLEM_TYPES = {
  'validation-error': [400, 'Your request is not valid'],
  'malformed-json': [400, 'The request body is not valid JSON'],
  'not-found': [404, 'No such route'],
  'method-not-allowed': [405, 'Method not allowed on this route'],
  'unsupported-media-type': [415, 'The request body must be application/json'],
  'payload-too-large': [413, 'The request body is too large'],
  'vendor-not-found': [404, 'The vendor does not know this record'],
  'vendor-conflict': [409, 'The vendor refused the change because of a conflict'],
  'vendor-rejected': [422, 'The vendor rejected the request'],
  'vendor-authentication': [502, 'The gateway could not authenticate with the vendor'],
  'vendor-unavailable': [502, 'The vendor failed to answer properly'],
  'vendor-rate-limited': [503, 'The vendor is rate limiting the gateway'],
  'vendor-timeout': [504, 'The vendor did not answer in time'],
  'vendor-circuit-open': [503, 'The gateway has paused calls to this vendor after repeated failures'],
  'driver-not-linked': [404, 'The driver has no vendor links'],
  'mass-change-held': [428, 'Too many deactivations in a short time; confirm to proceed'],
  'idempotency-key-reused': [409, 'The Idempotency-Key was already used for a different request'],
  'request-in-progress': [409, 'A request with this Idempotency-Key is still in progress'],
  'store-unavailable': [503, 'The gateway store is unavailable'],
  'configuration-error': [500, 'The gateway is misconfigured'],
  'internal-error': [500, 'Unexpected gateway error'],
} as const satisfies Record<string, readonly [number, string]>;
export type ProblemType = keyof typeof PROBLEM_TYPES;

export const problemTypeUri = (type: ProblemType): string => `urn:driver-gateway:problem:${type}`;

export interface FieldError {
  path: string;
  message: string;
}

export interface VendorRefusal {
  name: VendorName;
  status?: number;
  code?: string;
  message?: string;
  requestId?: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  vendor?: VendorRefusal;
  [extension: string]: unknown;
}

export interface ProblemOptions {
  errors?: FieldError[];
  /** Field errors found beyond those listed in `errors`. */
  omittedErrors?: number;
  vendor?: VendorRefusal;
  /** Seconds, sent as the `Retry-After` header (and kept in the document for event consumers). */
  retryAfter?: number;
  headers?: Record<string, string>;
  cause?: unknown;
  /** Overrides the default (5xx = retriable), e.g. a 409 "still in progress" that a later retry resolves. */
  retriable?: boolean;
  /**
   * The write was sent but no answer came back (timeout, connection lost): it may or may not have
   * been applied. Never to be reported as succeeded or plainly failed.
   */
  uncertain?: { idempotencyKey?: string };
  /** RFC 9457 extension members this problem type defines (e.g. a hold's `confirmationToken`). */
  extensions?: Record<string, unknown>;
}

export class Problem extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly options: ProblemOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'Problem';
    [this.status, this.title] = PROBLEM_TYPES[type];
  }

  /** A problem a caller may retry later: the fault was the vendor's or ours, not the input's. */
  get retriable(): boolean {
    return this.options.retriable ?? this.status >= 500;
  }

  headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE, ...this.options.headers };
    if (this.options.retryAfter !== undefined) headers['retry-after'] = String(Math.ceil(this.options.retryAfter));
    return headers;
  }

  toJSON(instance?: string): ProblemDocument {
    const quote = this.options.vendor?.message;
    const doc: ProblemDocument = {
      ...this.options.extensions,
      type: problemTypeUri(this.type),
      title: this.title,
      status: this.status,
      // `detail` itself holds only the gateway's words (what events and Lambda errors repeat); a caller also reads the vendor's.
      detail: quote ? `${this.detail} ${this.options.vendor!.name} said: ${quote}` : this.detail,
    };
    if (instance) doc.instance = instance;
    if (this.options.errors) doc.errors = this.options.errors;
    if (this.options.omittedErrors) doc.omittedErrors = this.options.omittedErrors;
    if (this.options.vendor) doc.vendor = this.options.vendor;
    if (this.options.retryAfter !== undefined) doc.retryAfter = Math.ceil(this.options.retryAfter);
    if (this.options.uncertain) {
      doc.outcome = 'uncertain';
      doc.retriable = this.retriable;
      if (this.options.uncertain.idempotencyKey) doc.idempotencyKey = this.options.uncertain.idempotencyKey;
    }
    return doc;
  }
}

export const isProblem = (error: unknown): error is Problem => error instanceof Problem;

/** Anything that is not already a Problem is our bug: never blame the caller, never leak internals. */
export const toProblem = (error: unknown): Problem =>
  isProblem(error) ? error : new Problem('internal-error', 'The gateway failed unexpectedly; the error was logged.', { cause: error });
