/**
 * An operation is defined once, knowing nothing about API Gateway or EventBridge: its name (also the
 * EventBridge detail-type), route, input schemas, the vendors it calls, and `run`.
 */
import type * as z from 'zod/mini';
import type { Logger } from './logger';
import type { ProblemDocument, VendorName } from './problem';
import type { Outcome } from './outcome-events';
import type { OutboundContext } from './vendor-call';

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
export type Trigger = 'http' | 'event';

export interface OperationContext extends OutboundContext {
  operation: string;
  trigger: Trigger;
  correlationId: string;
  /**
   * Names this logical request across redeliveries: the caller's `Idempotency-Key`, else the
   * EventBridge event id, else the API Gateway request id. Vendor idempotency keys derive from it.
   */
  requestKey: string;
  /** Set only when the caller named the request (Idempotency-Key header) or EventBridge did (event id). */
  idempotencyKey?: string;
  /** Request headers (lower-cased) on the HTTP path; empty for events. */
  headers: Record<string, string | undefined>;
  log: Logger;
}

export interface OperationResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * What an outcome event may say about the result: ids, outcomes, statuses, problem summaries —
   * never a vendor record's personal fields (events are archived and fanned out to any rule).
   */
  summary?: unknown;
  /**
   * False when the answer reports something a retry may fix (an uncertain write, a vendor that
   * failed on its side): an idempotency record does not freeze it. Absent = final.
   */
  final?: boolean;
  /** Set when the answer is a refusal kept as an answer (see handler.ts): the body is this problem. */
  problem?: ProblemDocument;
}

export interface OperationInput<P extends z.ZodMiniObject, B extends z.ZodMiniType | undefined, E extends z.ZodMiniObject | undefined = undefined> {
  params: z.output<P>;
  body: B extends z.ZodMiniType ? z.output<B> : undefined;
  /** The operation's `eventFields`, validated, when it ran from an event that carried them. */
  event?: E extends z.ZodMiniObject ? z.output<E> : undefined;
}

export interface Operation<
  P extends z.ZodMiniObject = z.ZodMiniObject,
  B extends z.ZodMiniType | undefined = z.ZodMiniType | undefined,
  E extends z.ZodMiniObject | undefined = undefined,
> {
  /** `vendor.verb` or `drivers.verb`; also the EventBridge detail-type. */
  name: string;
  summary: string;
  method: HttpMethod;
  /** API Gateway resource path, `{param}` placeholders. */
  path: string;
  /** Vendors called, and therefore the only secrets this operation's function may read. */
  vendors: readonly VendorName[];
  params: P;
  /** JSON body schema; absent for operations that take none. */
  body: B;
  /**
   * Fields an EventBridge detail may carry besides the parameters and the body, for what HTTP
   * callers send as a header (e.g. `confirmMassChange`); kept out of the body so it never reaches
   * the vendor's request schema.
   */
  eventFields?: E;
  /** Success body schema, for the OpenAPI document. */
  response?: z.ZodMiniType;
  /** Detail-types of the outcome events published when the operation ran from EventBridge. */
  outcomeDetailTypes?: Record<Outcome, string>;
  run(input: OperationInput<P, B, E>, ctx: OperationContext): Promise<OperationResult>;
  /**
   * Every write has one (`?dryRun=true`): the exact vendor requests `run` would send, with
   * credentials redacted — sending, storing and counting nothing.
   */
  dryRun?(input: OperationInput<P, B, E>, ctx: OperationContext): Promise<OperationResult>;
}

export const defineOperation = <P extends z.ZodMiniObject, B extends z.ZodMiniType | undefined, E extends z.ZodMiniObject | undefined = undefined>(
  operation: Operation<P, B, E>,
): Operation<P, B, E> => operation;

/**
 * The erased type the registry and adapters work with. `any` is deliberate: `run`'s input is
 * contravariant, and the adapters only ever pass it what the operation's own schemas produced.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, any, any>;
