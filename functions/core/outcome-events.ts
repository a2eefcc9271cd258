/**
 * An EventBridge-triggered operation reports its outcome as an event of its own on the gateway's
 * bus, so the system that asked can learn what happened without polling.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { lazyClient } from './aws-clients';
import type { Logger } from './logger';
import type { ProblemDocument } from './problem';
import { scrubDeep } from './secret-scrubber';

export const OUTCOME_SOURCE = 'driver-gateway';

export type Outcome = 'succeeded' | 'partially-failed' | 'failed';

export const OUTCOME_DETAIL_TYPES: Record<Outcome, string> = {
  succeeded: 'Operation Succeeded',
  'partially-failed': 'Operation Partially Failed',
  failed: 'Operation Failed',
};

export interface OutcomeDetail {
  operation: string;
  outcome: Outcome;
  /** The id of the event that triggered the operation. */
  triggerEventId: string;
  correlationId: string;
  status: number;
  /** The operation's summary of its result (OperationResult.summary). */
  result?: unknown;
  problem?: ProblemSummary;
  /** Set when this answer was replayed from the trigger's idempotency record (a redelivery). */
  replayed?: true;
  /** Set when the detail had to be cut to fit an EventBridge entry. */
  truncated?: { bytes: number; reason: string };
}

/** A problem as events tell it: what kind, whose, which fields — not the free text around it. */
interface ProblemSummary {
  type: string;
  title: string;
  status: number;
  /** The gateway's own explanation; left out when it quotes a vendor. */
  detail?: string;
  vendor?: { name: string; status?: number; code?: string; requestId?: string };
  errors?: ProblemDocument['errors'];
  omittedErrors?: number;
  outcome?: unknown;
  retriable?: unknown;
  idempotencyKey?: unknown;
  retryAfter?: unknown;
  /** A held deactivation: what the confirming event must carry, and until when. */
  confirmationToken?: unknown;
  confirmationExpiresAt?: unknown;
}

const MAX_EVENT_ERRORS = 20;

export const problemSummary = (doc: ProblemDocument): ProblemSummary => {
  const errors = doc.errors?.slice(0, MAX_EVENT_ERRORS);
  const omitted = (doc.errors?.length ?? 0) - (errors?.length ?? 0) + (typeof doc.omittedErrors === 'number' ? doc.omittedErrors : 0);
  const summary: ProblemSummary = { type: doc.type, title: doc.title, status: doc.status };
  // A vendor's own words are left out, and so is a detail that quotes them: free text that may quote the driver's record.
  if (!doc.vendor?.message) summary.detail = doc.detail;
  if (doc.vendor) summary.vendor = { name: doc.vendor.name, status: doc.vendor.status, code: doc.vendor.code, requestId: doc.vendor.requestId };
  if (errors) summary.errors = errors;
  if (omitted > 0) summary.omittedErrors = omitted;
  for (const key of ['outcome', 'retriable', 'idempotencyKey', 'retryAfter', 'confirmationToken', 'confirmationExpiresAt'] as const) {
    if (doc[key] !== undefined) summary[key] = doc[key];
  }
  return summary;
};

/** EventBridge takes 256 KB per entry, envelope included; the detail keeps well under it. */
export const MAX_OUTCOME_DETAIL_BYTES = 240 * 1024;

/** The detail as sent: scrubbed of secrets, and cut to fit (saying so) rather than rejected. */
export const outcomeDetailJson = (detail: OutcomeDetail): string => {
  const scrubbed = scrubDeep(detail) as OutcomeDetail;
  const json = JSON.stringify(scrubbed);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_OUTCOME_DETAIL_BYTES) return json;
  const { result: _result, problem, ...rest } = scrubbed;
  return JSON.stringify({
    ...rest,
    ...(problem ? { problem: { type: problem.type, title: problem.title, status: problem.status } } : {}),
    truncated: { bytes, reason: `The full detail (${bytes} bytes) exceeds what an EventBridge entry can carry; ask the gateway (GET routes, logs by correlationId) for the rest.` },
  });
};

const eventBridge = lazyClient('eventbridge', () => new EventBridgeClient({}));

export const outcomeOf = (status: number): Outcome => (status === 207 ? 'partially-failed' : status < 400 ? 'succeeded' : 'failed');

export const publishOutcome = async (detail: OutcomeDetail, log: Logger, detailTypes: Record<Outcome, string> = OUTCOME_DETAIL_TYPES): Promise<void> => {
  const bus = process.env.EVENT_BUS_NAME;
  if (!bus) {
    log.warn('EVENT_BUS_NAME is not set; outcome event not published', { outcome: detail.outcome });
    return;
  }
  const output = await eventBridge().send(
    new PutEventsCommand({
      Entries: [{ EventBusName: bus, Source: OUTCOME_SOURCE, DetailType: detailTypes[detail.outcome], Detail: outcomeDetailJson(detail) }],
    }),
  );
  // PutEvents reports per-entry failures in a 200: treat them as failures so the invocation is retried.
  if (output.FailedEntryCount) {
    throw new Error(`Outcome event was not accepted: ${output.Entries?.[0]?.ErrorCode ?? 'unknown error'}`);
  }
};
