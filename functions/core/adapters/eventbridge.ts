/**
 * EventBridge events → operation input. The detail is one object holding path parameters and
 * body fields together; it is split by the operation's parameter names and validated by the same
 * schemas as HTTP, with errors reported under `detail`.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { parseOperationInput } from '../http-request';
import type { AnyOperation } from '../operation';
import { validationProblem } from '../validation';

export type AnyEventBridgeEvent = EventBridgeEvent<string, unknown>;

export const isEventBridge = (event: unknown): event is AnyEventBridgeEvent =>
  typeof event === 'object' && event !== null && 'detail-type' in event && 'detail' in event;

export const eventInput = (operation: AnyOperation, event: AnyEventBridgeEvent) => {
  const detail = event.detail;
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw validationProblem([{ path: 'detail', message: 'The event detail must be a JSON object' }]);
  }
  if (event['detail-type'] !== operation.name) {
    throw validationProblem([{ path: 'detail-type', message: `Expected "${operation.name}"` }]);
  }
  const paramNames = new Set(Object.keys(operation.params.shape));
  const entries = Object.entries(detail);
  // Object.fromEntries defines own properties, so a `__proto__` key stays data and is reported as unknown.
  const params = Object.fromEntries(entries.filter(([key]) => paramNames.has(key)));
  const rest = entries.filter(([key]) => !paramNames.has(key));
  if (!operation.body && rest.length > 0) {
    throw validationProblem(rest.map(([key]) => ({ path: `detail.${key}`, message: 'Unknown field' })));
  }
  return parseOperationInput(operation, { params, body: Object.fromEntries(rest) }, { params: 'detail', body: 'detail' });
};
