/**
 * The circuit's half of the fleet-wide gate: what an attempt's outcome does to the shared failure
 * count and circuit state (vendor-gate-store.ts). Each transition is one conditional write, so only
 * one instance opens, reopens or closes the circuit and emits its metric.
 */
import { emitMetric } from './metrics';
import type { VendorName } from './problem';
import { readGate, updateGate, type GateItem } from './vendor-gate-store';
import type { GateSettings } from './vendor-limits';

/** The circuit as this attempt holds it: the settings it was admitted under and, for the one probe, its token. */
export interface CircuitTicket {
  vendor: VendorName;
  settings: GateSettings;
  /** Consecutive failures when admitted. */
  failuresSeen: number;
  probe?: string;
}

/** Called with the new `openUntil` when this instance opened or reopened the circuit, with 0 when it closed it. */
export type CircuitChange = (vendor: VendorName, openUntil: number) => void;

const opened = (vendor: VendorName, item: GateItem, changed: CircuitChange): void => {
  changed(vendor, item.openUntil ?? 0);
  emitMetric('VendorCircuitOpen', { vendor });
};

/**
 * A success. The probe's closes the circuit. Any other resets the count, if there is one: known
 * from the admission, or read (eventually consistent, half a read unit), because failures of calls
 * admitted alongside this one may have been counted meanwhile, and a success between them means
 * they are not consecutive.
 */
export const recordSuccess = async ({ vendor, probe, failuresSeen }: CircuitTicket, changed: CircuitChange): Promise<void> => {
  if (probe) {
    const closed = await updateGate(vendor, { update: 'SET failures = :zero REMOVE openUntil, probe, probeUntil', condition: 'probe = :probe', values: { ':zero': 0, ':probe': probe } });
    if (closed.applied) {
      changed(vendor, 0);
      emitMetric('VendorCircuitClosed', { vendor });
    }
    return;
  }
  if (failuresSeen === 0) {
    const now = await readGate(vendor, false);
    if ((now.failures ?? 0) === 0 || now.openUntil !== undefined) return;
  }
  await updateGate(vendor, { update: 'SET failures = :zero', condition: 'attribute_not_exists(openUntil)', values: { ':zero': 0 } });
};

/** A failure. The probe's reopens the circuit; any other is counted, and the one that reaches the threshold opens it. */
export const recordFailure = async ({ vendor, probe, settings }: CircuitTicket, changed: CircuitChange): Promise<void> => {
  const until = Date.now() + settings.cooldownMs;
  if (probe) {
    const reopened = await updateGate(vendor, {
      update: 'SET openUntil = :until, failures = if_not_exists(failures, :zero) + :one REMOVE probe, probeUntil',
      condition: 'probe = :probe',
      values: { ':until': until, ':zero': 0, ':one': 1, ':probe': probe },
    });
    if (reopened.applied) opened(vendor, reopened.item, changed);
    return;
  }
  const counted = await updateGate(vendor, { update: 'ADD failures :one', values: { ':one': 1 } });
  const { failures = 0, openUntil } = counted.item;
  if (openUntil !== undefined) {
    // Half-open with no probe out: a failure counted now (e.g. refused keys after a re-read) reopens it.
    if (openUntil > Date.now() || counted.item.probe !== undefined) return;
    const reopened = await updateGate(vendor, {
      update: 'SET openUntil = :until',
      condition: 'openUntil = :seen AND attribute_not_exists(probe)',
      values: { ':until': until, ':seen': openUntil },
    });
    if (reopened.applied) opened(vendor, reopened.item, changed);
    return;
  }
  if (failures < settings.threshold) return;
  const opening = await updateGate(vendor, {
    update: 'SET openUntil = :until',
    condition: 'attribute_not_exists(openUntil) AND failures >= :threshold',
    values: { ':until': until, ':threshold': settings.threshold },
  });
  if (opening.applied) opened(vendor, opening.item, changed);
};

/** A probe that will not report (nothing was sent, or its answer says nothing about the vendor) gives its turn back. */
export const releaseProbe = async ({ vendor, probe }: CircuitTicket): Promise<void> => {
  if (probe) await updateGate(vendor, { update: 'REMOVE probe, probeUntil', condition: 'probe = :probe', values: { ':probe': probe } });
};

/**
 * The probe is about to be sent: its lease runs from now (it was taken before, alongside the
 * secret read). False when the lease had run out and another probe holds the circuit.
 */
export const renewProbe = async ({ vendor, probe }: CircuitTicket, leaseMs: number): Promise<boolean> => {
  if (!probe) return true;
  const renewed = await updateGate(vendor, { update: 'SET probeUntil = :lease', condition: 'probe = :probe', values: { ':lease': Date.now() + leaseMs, ':probe': probe } });
  return renewed.applied;
};
