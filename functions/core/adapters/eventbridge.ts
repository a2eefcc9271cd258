/**
 * EventBridge events → operation input. The detail is one object holding path parameters and
 * body fields together; it is split by the operation's parameter names and validated by the same
 * schemas as HTTP, with errors reported under `detail`. An operation's `eventFields` (what HTTP
 * callers send as headers) are split off too and validated on their own.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { parseOperationInput } from '../http-request';
import { inputShapeErrors } from '../input-shape';
import type { AnyOperation } from '../operation';
import { isProblem, type FieldError } from '../problem';
import { fieldErrors, validationProblem } from '../validation';

export type AnyEventBridgeEvent = EventBridgeEvent<string, unknown>;

export const isEventBridge = (event: unknown): event is AnyEventBridgeEvent =>
  typeof event === 'object' && event !== null && 'detail-type' in event && 'detail' in event;

const eventFieldsOf = (operation: AnyOperation, entries: [string, unknown][]): { value?: Record<string, unknown>; errors: FieldError[] } => {
  if (!operation.eventFields || entries.length === 0) return { errors: [] };
  const fields = Object.fromEntries(entries);
  const shape = inputShapeErrors(fields, 'detail');
  if (shape.length > 0) return { errors: shape };
  const parsed = operation.eventFields.safeParse(fields);
  return parsed.success ? { value: parsed.data as Record<string, unknown>, errors: [] } : { errors: fieldErrors(parsed.error, 'detail') };
};

export const eventInput = (operation: AnyOperation, event: AnyEventBridgeEvent) => {
  const detail = event.detail;
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw validationProblem([{ path: 'detail', message: 'The event detail must be a JSON object' }]);
  }
  if (event['detail-type'] !== operation.name) {
    throw validationProblem([{ path: 'detail-type', message: `Expected "${operation.name}"` }]);
  }
  const paramNames = new Set(Object.keys(operation.params.shape));
  const eventFieldNames = new Set(Object.keys(operation.eventFields?.shape ?? {}));
  const entries = Object.entries(detail);
  // Object.fromEntries defines own properties, so a `__proto__` key stays data and is reported as unknown.
  const params = Object.fromEntries(entries.filter(([key]) => paramNames.has(key)));
  const extra = eventFieldsOf(operation, entries.filter(([key]) => eventFieldNames.has(key)));
  const rest = entries.filter(([key]) => !paramNames.has(key) && !eventFieldNames.has(key));
  if (!operation.body && rest.length > 0) {
    throw validationProblem([...rest.map(([key]) => ({ path: `detail.${key}`, message: 'Unknown field' })), ...extra.errors]);
  }
  let input: ReturnType<typeof parseOperationInput>;
  try {
    input = parseOperationInput(operation, { params, body: Object.fromEntries(rest) }, { params: 'detail', body: 'detail' });
  } catch (error) {
    // Every bad field at once: the event fields' errors join the others.
    if (extra.errors.length > 0 && isProblem(error) && error.type === 'validation-error') throw validationProblem([...(error.options.errors ?? []), ...extra.errors]);
    throw error;
  }
  if (extra.errors.length > 0) throw validationProblem(extra.errors);
  return extra.value ? { ...input, event: extra.value } : input;
};
