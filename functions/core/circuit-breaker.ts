/**
 * One circuit per vendor (per Lambda instance). After THRESHOLD consecutive failed calls (5xx,
 * timeouts, network errors, refused credentials) the circuit opens for a cooldown: calls answer
 * at once with a 503 instead of piling onto a vendor that is down, and the other vendors of a
 * fan-out carry on. After the cooldown one call goes through as a probe; its success closes the
 * circuit, its failure opens it again.
 */
import { numberFromEnv } from './config';
import { emitMetric } from './metrics';
import { Problem, type VendorName } from './problem';

interface Circuit {
  failures: number;
  openUntil: number;
  probing: boolean;
}

const circuits = new Map<VendorName, Circuit>();
const threshold = (): number => numberFromEnv('VENDOR_CIRCUIT_THRESHOLD', 5);
const cooldownMs = (): number => numberFromEnv('VENDOR_CIRCUIT_COOLDOWN_MS', 30_000);

const circuitOf = (vendor: VendorName): Circuit => {
  let circuit = circuits.get(vendor);
  if (!circuit) {
    circuit = { failures: 0, openUntil: 0, probing: false };
    circuits.set(vendor, circuit);
  }
  return circuit;
};

/** Throws a 503 while the vendor's circuit is open; lets one probe through after the cooldown. */
export const admitCall = (vendor: VendorName, now = Date.now()): void => {
  if (threshold() <= 0) return;
  const circuit = circuitOf(vendor);
  if (circuit.openUntil === 0) return;
  if (now >= circuit.openUntil && !circuit.probing) {
    circuit.probing = true;
    return;
  }
  const retryAfter = Math.max(1, Math.ceil((circuit.openUntil - now) / 1000));
  throw new Problem('vendor-circuit-open', `${vendor} failed repeatedly; the gateway stops calling it for a while to let it recover.`, {
    vendor: { name: vendor },
    retryAfter,
  });
};

export const recordOutcome = (vendor: VendorName, healthy: boolean, now = Date.now()): void => {
  if (threshold() <= 0) return;
  const circuit = circuitOf(vendor);
  if (healthy) {
    if (circuit.openUntil !== 0) emitMetric('VendorCircuitClosed', { vendor });
    circuits.set(vendor, { failures: 0, openUntil: 0, probing: false });
    return;
  }
  circuit.failures += 1;
  if (circuit.probing || circuit.failures >= threshold()) {
    circuit.openUntil = now + cooldownMs();
    circuit.probing = false;
    emitMetric('VendorCircuitOpen', { vendor });
  }
};

export const resetCircuits = (): void => circuits.clear();
