/**
 * How fast and how patiently the whole deployment may call each vendor: read by the fleet-wide
 * gate at call time and by the stack, which sizes the functions' concurrency from the same rates.
 * Samsara documents 150 req/s per token; the others publish no numbers, so conservative choices:
 * DriveQuant 50, ChargeAPI 100, Focus 20. The gateway spends 95 % of each, fleet-wide.
 */
import { numberFromEnv } from './config';
import type { VendorName } from './problem';

export const DOCUMENTED_OR_CHOSEN_LIMITS: Record<VendorName, number> = { samsara: 150, drivequant: 50, chargeapi: 100, focus: 20 };
export const HEADROOM = 0.95;

/** Requests per second the whole fleet may send the vendor; `<VENDOR>_RATE_PER_SECOND` overrides, 0 = unpaced. */
export const ratePerSecond = (vendor: VendorName): number =>
  numberFromEnv(`${vendor.toUpperCase()}_RATE_PER_SECOND`, DOCUMENTED_OR_CHOSEN_LIMITS[vendor] * HEADROOM);

export const gateSettings = (vendor: VendorName) => ({
  rate: ratePerSecond(vendor),
  /** Consecutive failed attempts, fleet-wide, that open the vendor's circuit; 0 = no circuit. */
  threshold: Math.floor(numberFromEnv('VENDOR_CIRCUIT_THRESHOLD', 5)),
  cooldownMs: numberFromEnv('VENDOR_CIRCUIT_COOLDOWN_MS', 30_000),
  /** The longest a call waits for its turn in the vendor's budget before it is refused with a 503. */
  queueMs: numberFromEnv('VENDOR_QUEUE_MS', 5_000),
});
export type GateSettings = ReturnType<typeof gateSettings>;
