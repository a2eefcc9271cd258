/**
 * Which EventBridge `source` values may trigger operations. Anyone allowed to `PutEvents` on the
 * bus picks the source they publish under, so the accepted list is explicit and small: the
 * operator names its publishers (CDK context `eventSources`, `EVENT_SOURCES` locally), and the
 * gateway's own outcome source can never be one of them (no loops).
 */
import { OUTCOME_SOURCE } from './outcome-events';

/** What publishers use unless the operator names its own sources. */
export const DEFAULT_EVENT_SOURCES: readonly string[] = ['driver-gateway.requests'];

/** `a,b` or `["a","b"]` (cdk.json) → the list, refusing sources no rule may accept. */
export const parseEventSources = (value: unknown): string[] => {
  if (value === undefined || value === null || value === '') return [...DEFAULT_EVENT_SOURCES];
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const sources = list.map((source) => source.trim()).filter(Boolean);
  if (sources.length === 0) throw new Error('eventSources: name at least one source');
  for (const source of sources) {
    if (source === OUTCOME_SOURCE) throw new Error(`eventSources: "${OUTCOME_SOURCE}" is the gateway's own outcome source; accepting it would let outcomes trigger operations`);
    if (source.startsWith('aws.')) throw new Error(`eventSources: "${source}" is reserved for AWS services`);
    if (!/^[A-Za-z0-9._/-]{1,256}$/.test(source)) throw new Error(`eventSources: "${source}" is not a valid source (1-256 of A-Z a-z 0-9 . _ / -)`);
  }
  return [...new Set(sources)];
};
