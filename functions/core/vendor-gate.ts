/**
 * The gate every attempt to call a vendor passes, the same for the whole deployment: one rate
 * budget and one circuit per vendor, kept in the gateway table (vendor-gate-store.ts), so that N
 * Lambda instances of any function promise the vendor its limit once, not N times.
 *
 * Budget: a request slot every 1/rate seconds, handed out in order (GCRA: the item holds the next
 * free slot). A call takes the slot at once when the vendor is idle, else the next one, and sleeps
 * until it; a slot later than the call can wait (VENDOR_QUEUE_MS, its deadline) is not taken and
 * the call is refused with a 503 naming when to come back. One conditional write per attempt; a
 * call that waited re-reads the item before it sends, so a circuit that opened or a pause that
 * began meanwhile still stops it. A vendor's 429 moves the next free slot past its `Retry-After`:
 * the whole fleet waits, not only the instance that saw it.
 *
 * Circuit: failed attempts (5xx, timeouts, network errors, unreadable answers) are counted across
 * instances, and refused keys once per call when re-reading the secret did not help
 * (`countFailure`); a success resets the count (vendor-gate-circuit.ts). At the threshold one
 * instance opens the circuit (the others' writes find it open) and every instance refuses at once
 * with `vendor-circuit-open`. After the cooldown exactly one probe, fleet-wide, takes a lease
 * (renewed when it is sent) and goes; its success closes the circuit, its failure reopens it, a
 * probe that is not sent gives its turn back, and one that never reports loses its lease.
 *
 * Per instance there is only a cache of what the table said (an open circuit until its end, and
 * whether the vendor had a queue, which picks the likelier first write); the table decides.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger';
import { Problem, type VendorName } from './problem';
import { recordFailure, recordSuccess, releaseProbe, renewProbe, type CircuitChange, type CircuitTicket } from './vendor-gate-circuit';
import { readGate, repairGate, updateGate, type GateItem, type UpdateResult } from './vendor-gate-store';
import { gateSettings, type GateSettings } from './vendor-limits';

/** An attempt needs time of its own (its timeout, up to this): a slot closer to the deadline is not taken. */
const ATTEMPT_RESERVE_MS = 1_000;
/** What a refusal asks for when nothing better is known (a probe is out, the item kept changing). */
const BRIEFLY_MS = 1_000;
/**
 * The longest a vendor's 429 pauses the fleet, whatever its Retry-After says: a vendor (or a proxy
 * in front of it) asking for a day must not silence the gateway for a day.
 */
export const MAX_PAUSE_MS = 30_000;
/** How long a queue this instance saw is assumed to last (see `busy`). */
const HINT_MS = 1_000;
/** Rounds of "the item changed under us" before a call gives up and is refused. */
const MAX_ROUNDS = 6;

export type Admission = CircuitTicket;

/**
 * How one attempt ended, as far as the vendor's health and budget are concerned. `busy`: the vendor
 * answered 429 and the whole fleet waits `pauseMs` (its Retry-After, else our backoff). `neutral`:
 * the answer says nothing about the vendor's health (refused keys before the secret is re-read,
 * a timeout our own deadline cut short): neither counted nor a success.
 */
export type AttemptOutcome = { kind: 'healthy' } | { kind: 'unhealthy' } | { kind: 'busy'; pauseMs: number } | { kind: 'neutral' };

export interface AdmitLimits {
  deadline: number;
  attemptTimeoutMs: number;
  /** Aborts the wait for a slot (the call will not be sent after all): the admission rejects at once. */
  signal?: AbortSignal;
}

export interface VendorGate {
  admit(vendor: VendorName, limits: AdmitLimits): Promise<Admission>;
  settle(admission: Admission, outcome: AttemptOutcome, log: Logger): Promise<void>;
  /** An admission that was never used (nothing was sent): a probe gives its lease back at once. */
  release(admission: Admission, log: Logger): Promise<void>;
  /** Just before sending: the probe's lease runs from now. False when another probe took the circuit meanwhile. */
  renew(admission: Admission, attemptTimeoutMs: number): Promise<boolean>;
  /** A failure found after the attempts (the vendor refused our keys even after the secret was re-read). */
  countFailure(vendor: VendorName, log: Logger): Promise<void>;
}

/** Releases an admission taken ahead (in parallel with the secret read) once it is clear it will not be used. */
export const releaseUnused = async (gate: VendorGate, admission: Promise<Admission> | undefined, log: Logger): Promise<void> => {
  const unused = await admission?.catch(() => undefined);
  if (unused) await gate.release(unused, log);
};

export const circuitOpen = (vendor: VendorName, ms: number): Problem =>
  new Problem('vendor-circuit-open', `${vendor} failed repeatedly; the gateway stops calling it for a while to let it recover.`, {
    vendor: { name: vendor },
    retryAfter: Math.max(1, Math.ceil(ms / 1000)),
  });

const budgetSpent = (vendor: VendorName, ms: number): Problem =>
  new Problem('vendor-rate-limited', `The gateway's request budget for ${vendor} is spent until after this request can wait.`, {
    vendor: { name: vendor },
    retryAfter: Math.max(1, Math.ceil(ms / 1000)),
  });

/** Sleeps until `ms` from now, or rejects as soon as `signal` aborts. */
const waitFor = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

export const createVendorGate = (): VendorGate & { forget(): void } => {
  /** When the table last said the circuit is open until: refused here without a store request. */
  const knownOpen = new Map<VendorName, number>();
  const circuitChanged: CircuitChange = (vendor, openUntil) => {
    if (openUntil > 0) knownOpen.set(vendor, openUntil);
    else knownOpen.delete(vendor);
  };
  /**
   * Whether the vendor had a queue when this instance last looked, and when: the guess that picks
   * the first write (the free slot or the next in line). A wrong guess costs a second write. An
   * instance that called recently in a queue is likely still in one; one that was idle for longer
   * than HINT_MS first tries the free slot.
   */
  const queueSeen = new Map<VendorName, number>();
  const busy = {
    get: (vendor: VendorName): boolean => Date.now() - (queueSeen.get(vendor) ?? -Infinity) < HINT_MS,
    set: (vendor: VendorName, queued: boolean): void => {
      if (queued) queueSeen.set(vendor, Date.now());
      else queueSeen.delete(vendor);
    },
  };

  /** With no circuit (threshold 0) an `openUntil` left from before is ignored, not obeyed forever. */
  const closedIf = (settings: GateSettings): string => (settings.threshold > 0 ? 'attribute_not_exists(openUntil) AND ' : '');

  const freeSlot = (vendor: VendorName, settings: GateSettings, interval: number, now: number): Promise<UpdateResult> =>
    updateGate(vendor, {
      update: 'SET tat = :next',
      condition: `${closedIf(settings)}(attribute_not_exists(tat) OR tat <= :now)`,
      values: { ':next': now + interval, ':now': now },
    });

  /**
   * The next slot in line. It may have passed while this call talked to the store (by one interval,
   * or back to the slot its failed free-slot write found): the call then goes at once, late for its
   * slot. Slots stay one interval apart; what a slow store costs is lateness, not refusals, and
   * callers racing at an idle moment do not bounce between this write and the free one.
   */
  const queuedSlot = (vendor: VendorName, settings: GateSettings, interval: number, now: number, latest: number, seen: number): Promise<UpdateResult> =>
    updateGate(vendor, {
      update: 'SET tat = tat + :interval',
      condition: `${closedIf(settings)}tat BETWEEN :floor AND :latest`,
      values: { ':interval': interval, ':floor': Math.min(now - interval, seen), ':latest': latest },
    });

  /** The circuit is open or half-open: refuse, or become its one probe. */
  const throughOpenCircuit = async (vendor: VendorName, item: GateItem, settings: GateSettings, attemptTimeoutMs: number): Promise<Admission> => {
    const now = Date.now();
    const openUntil = item.openUntil ?? 0;
    if (now < openUntil) {
      knownOpen.set(vendor, openUntil);
      throw circuitOpen(vendor, openUntil - now);
    }
    if ((item.probeUntil ?? 0) > now) throw circuitOpen(vendor, BRIEFLY_MS);
    const probe = randomUUID();
    const lease = await updateGate(vendor, {
      update: 'SET probe = :probe, probeUntil = :lease',
      condition: 'openUntil = :seen AND (attribute_not_exists(probeUntil) OR probeUntil <= :now)',
      values: { ':probe': probe, ':lease': now + attemptTimeoutMs + ATTEMPT_RESERVE_MS, ':seen': openUntil, ':now': now },
    });
    if (!lease.applied) throw circuitOpen(vendor, BRIEFLY_MS);
    return { vendor, settings, failuresSeen: item.failures ?? 0, probe };
  };

  /** Unpaced (rate 0): no slot to take, only the circuit to look at. */
  const circuitOnly = async (vendor: VendorName, settings: GateSettings, attemptTimeoutMs: number): Promise<Admission> => {
    let item = await readGate(vendor);
    if (item.corrupt) {
      await repairGate(vendor);
      item = {};
    }
    if (item.openUntil !== undefined) return throughOpenCircuit(vendor, item, settings, attemptTimeoutMs);
    return { vendor, settings, failuresSeen: item.failures ?? 0 };
  };

  const admit: VendorGate['admit'] = async (vendor, { deadline, attemptTimeoutMs, signal }) => {
    const settings = gateSettings(vendor);
    if (settings.rate <= 0 && settings.threshold <= 0) return { vendor, settings, failuresSeen: 0 };
    const openUntil = knownOpen.get(vendor) ?? 0;
    if (settings.threshold > 0 && Date.now() < openUntil) throw circuitOpen(vendor, openUntil - Date.now());
    if (settings.rate <= 0) return circuitOnly(vendor, settings, attemptTimeoutMs);
    const interval = 1000 / settings.rate;
    const start = Date.now();
    const latest = Math.max(start, Math.min(start + settings.queueMs, deadline - Math.min(attemptTimeoutMs, ATTEMPT_RESERVE_MS)));

    // This call's own guess: the instance's hint first, then what its own failed writes said (other
    // calls of the same instance update the hint meanwhile and must not make this one flip-flop).
    let queued = busy.get(vendor);
    /** The next free slot the last failed free-slot write found: it can only have moved later since. */
    let seen = Number.POSITIVE_INFINITY;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const now = Date.now();
      const taken = queued ? await queuedSlot(vendor, settings, interval, now, latest, seen) : await freeSlot(vendor, settings, interval, now);
      if (taken.item.corrupt) {
        await repairGate(vendor);
        queued = false;
        continue;
      }
      if (!taken.applied) {
        if (settings.threshold > 0 && taken.item.openUntil !== undefined) return throughOpenCircuit(vendor, taken.item, settings, attemptTimeoutMs);
        const next = taken.item.tat ?? 0;
        if (next > latest) throw budgetSpent(vendor, next - Date.now());
        // The write that failed says which one fits: the free slot was taken (a queue), or the queue had
        // drained. Decided from the write's own clock, not from ours after a slow store: no flip-flop.
        if (!queued) seen = next;
        queued = !queued;
        busy.set(vendor, queued);
        continue;
      }
      const slot = (taken.item.tat ?? now) - interval;
      busy.set(vendor, slot > now);
      if (slot <= Date.now()) return { vendor, settings, failuresSeen: taken.item.failures ?? 0 };
      await waitFor(slot - Date.now(), signal);
      // While this call waited its turn the circuit may have opened or the vendor asked for a pause.
      const fresh = await readGate(vendor);
      if (settings.threshold > 0 && fresh.openUntil !== undefined) {
        if (Date.now() < fresh.openUntil) knownOpen.set(vendor, fresh.openUntil);
        throw circuitOpen(vendor, fresh.openUntil - Date.now());
      }
      if ((fresh.pausedUntil ?? 0) <= slot) return { vendor, settings, failuresSeen: fresh.failures ?? 0 };
      queued = true;
      busy.set(vendor, true);
    }
    throw new Problem('vendor-rate-limited', `Too many calls to ${vendor} were taking a slot at once; retry shortly.`, {
      vendor: { name: vendor },
      retryAfter: 1,
    });
  };

  /** Every instance's next slot comes after `until`; calls already waiting see the pause when they wake. */
  const pause = async (vendor: VendorName, until: number): Promise<void> => {
    const pushed = await updateGate(vendor, {
      update: 'SET tat = :until, pausedUntil = :until',
      condition: 'attribute_not_exists(tat) OR tat < :until',
      values: { ':until': until },
    });
    if (!pushed.applied && (pushed.item.pausedUntil ?? 0) < until) {
      await updateGate(vendor, { update: 'SET pausedUntil = :until', condition: 'attribute_not_exists(pausedUntil) OR pausedUntil < :until', values: { ':until': until } });
    }
    busy.set(vendor, true);
  };

  /** Bookkeeping after the fact: if the store fails now, the call's answer stands and the loss is logged. */
  const keepBooks = async (vendor: VendorName, what: string, log: Logger, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      log.warn('vendor gate not updated', { vendor, outcome: what, error: (error as Error).message });
    }
  };

  const settle: VendorGate['settle'] = (admission, outcome, log) =>
    keepBooks(admission.vendor, outcome.kind, log, async () => {
      const { vendor, settings } = admission;
      if (outcome.kind === 'busy' && settings.rate > 0) await pause(vendor, Date.now() + Math.min(outcome.pauseMs, MAX_PAUSE_MS));
      if (settings.threshold <= 0) return;
      if (outcome.kind === 'neutral') return releaseProbe(admission);
      // A 429 is a vendor that answers: for the circuit, it is alive.
      return outcome.kind === 'unhealthy' ? recordFailure(admission, circuitChanged) : recordSuccess(admission, circuitChanged);
    });

  return {
    admit,
    settle,
    release: (admission, log) => keepBooks(admission.vendor, 'released', log, () => releaseProbe(admission)),
    renew: (admission, attemptTimeoutMs) => renewProbe(admission, attemptTimeoutMs + ATTEMPT_RESERVE_MS),
    countFailure: (vendor, log) => {
      const settings = gateSettings(vendor);
      if (settings.threshold <= 0) return Promise.resolve();
      return keepBooks(vendor, 'unhealthy', log, () => recordFailure({ vendor, settings, failuresSeen: 0 }, circuitChanged));
    },
    forget: () => {
      knownOpen.clear();
      queueSeen.clear();
    },
  };
};

/** This instance's gate: its caches live as long as the instance; the state it reads is the fleet's. */
export const fleetGate = createVendorGate();
