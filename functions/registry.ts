/**
 * The list of operations: the single source of truth read by the CDK stack (one function, route,
 * event rule and grant each), the local runner, the OpenAPI document and the tests.
 * `handler` is the file under functions/ that binds the operation to Lambda.
 */
import type { AnyOperation } from './core/operation';
import { driversOffboard, driversSetStatus, driversUpdate } from './drivers/fan-out-operations';
import { driversGetLinks, driversPutLinks } from './drivers/links-operations';
import { chargeapiDetachDriver } from './providers/chargeapi/detach-driver';
import { drivequantSetDriverStatus } from './providers/drivequant/set-driver-status';
import { focusUpdateDriver } from './providers/focus/update-driver';
import { samsaraUpdateDriver } from './providers/samsara/update-driver';

export interface RegistryEntry {
  operation: AnyOperation;
  /** Path of the handler file, relative to functions/, without extension. */
  handler: string;
  /** Reads or writes the gateway table (driver links, idempotency records of every write, the mass-change guard). */
  usesTable?: boolean;
}

export const registry: readonly RegistryEntry[] = [
  // Every write keeps idempotency records; the first three can also deactivate a record, which the mass-change guard counts.
  { operation: samsaraUpdateDriver, handler: 'samsara-update-driver', usesTable: true },
  { operation: drivequantSetDriverStatus, handler: 'drivequant-set-driver-status', usesTable: true },
  { operation: chargeapiDetachDriver, handler: 'chargeapi-detach-driver', usesTable: true },
  { operation: focusUpdateDriver, handler: 'focus-update-driver', usesTable: true },
  { operation: driversPutLinks, handler: 'drivers-put-links', usesTable: true },
  { operation: driversGetLinks, handler: 'drivers-get-links', usesTable: true },
  { operation: driversUpdate, handler: 'drivers-update', usesTable: true },
  { operation: driversSetStatus, handler: 'drivers-set-status', usesTable: true },
  { operation: driversOffboard, handler: 'drivers-offboard', usesTable: true },
];

export const operations: readonly AnyOperation[] = registry.map((entry) => entry.operation);
