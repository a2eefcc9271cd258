/**
 * An EventBridge-triggered operation reports its outcome as an event of its own on the gateway's
 * bus, so the system that asked can learn what happened without polling.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { lazyClient } from './aws-clients';
import type { Logger } from './logger';

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
  result?: unknown;
  problem?: unknown;
}

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
      Entries: [{ EventBusName: bus, Source: OUTCOME_SOURCE, DetailType: detailTypes[detail.outcome], Detail: JSON.stringify(detail) }],
    }),
  );
  // PutEvents reports per-entry failures in a 200: treat them as failures so the invocation is retried.
  if (output.FailedEntryCount) {
    throw new Error(`Outcome event was not accepted: ${output.Entries?.[0]?.ErrorCode ?? 'unknown error'}`);
  }
};
