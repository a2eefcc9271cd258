/**
 * Reserved concurrency sized from the vendor budgets, per vendor rather than per function. A
 * vendor's cap is how many instances keep it busy at its fleet-wide rate when a call takes up to
 * CALL_SECONDS (Little's law: rate × time in call); the functions that call a vendor share its cap,
 * and a function that calls several vendors gets its smallest share. So however the load falls,
 * no more than the cap of instances can be calling, or waiting in the budget's queue for, one
 * vendor: the budget keeps the rate, the cap bounds what waits (billed) and what is in flight when
 * the vendor starts failing, before its circuit opens.
 */
import type { AnyOperation } from '../functions/core/operation';
import { VENDORS, type VendorName } from '../functions/core/problem';

/** A vendor call that takes longer than this does not need more instances: they would only wait. */
export const CALL_SECONDS = 1;

export const vendorCaps = (rates: Record<VendorName, number>): Record<VendorName, number> =>
  Object.fromEntries(VENDORS.map((vendor) => [vendor, Math.max(1, Math.ceil(rates[vendor] * CALL_SECONDS))])) as Record<VendorName, number>;

/**
 * Reserved concurrency of each operation's function that calls a vendor (the others are not capped).
 * A function needs at least 1, so a vendor whose cap is smaller than the number of functions calling
 * it cannot be capped as promised: the synth says so instead of reserving more than the cap.
 */
export const functionCaps = (operations: readonly AnyOperation[], rates: Record<VendorName, number>): Map<string, number> => {
  const caps = vendorCaps(rates);
  const callers = (vendor: VendorName) => operations.filter((operation) => operation.vendors.includes(vendor)).length;
  for (const vendor of VENDORS) {
    if (caps[vendor] < callers(vendor)) {
      throw new Error(`The ${vendor} rate (${rates[vendor]}/s) allows ${caps[vendor]} concurrent call(s), fewer than the ${callers(vendor)} functions that call ${vendor}: raise the rate or deploy with -c concurrencyCaps=off.`);
    }
  }
  return new Map(
    operations
      .filter((operation) => operation.vendors.length > 0)
      .map((operation) => [operation.name, Math.max(1, Math.min(...operation.vendors.map((vendor) => Math.floor(caps[vendor] / callers(vendor)))))]),
  );
};
