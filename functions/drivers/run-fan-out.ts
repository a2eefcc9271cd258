/**
 * The shared path of every fan-out operation: load the driver's links (checking each against
 * today's rules), plan (validating every vendor body first), then run the plan or describe it.
 */
import type { DryRunBody } from '../core/dry-run';
import type { OperationContext, OperationResult } from '../core/operation';
import { Problem, problemTypeUri, VENDORS, type VendorName } from '../core/problem';
import { inputShapeErrors } from '../core/input-shape';
import { problemSummary } from '../core/outcome-events';
import { fieldErrors, validationProblem } from '../core/validation';
import { aggregateStatus, describePlans, executePlans, type VendorPlan, type VendorResult } from './fan-out';
import { getLinks } from './links-store';
import { links, type DriverLinks } from './model';

export const DRIVER_OUTCOME_DETAIL_TYPES = {
  succeeded: 'Driver Operation Succeeded',
  'partially-failed': 'Driver Operation Partially Failed',
  failed: 'Driver Operation Failed',
} as const;

export interface FanOutBody {
  driverId: string;
  results: Partial<Record<VendorName, VendorResult>>;
}

const linksOf = async (driverId: string): Promise<DriverLinks> => {
  const stored = await getLinks(driverId);
  if (!stored) throw new Problem('driver-not-linked', `Driver "${driverId}" has no vendor links; PUT /v1/drivers/${driverId}/links first.`);
  return stored.links;
};

/**
 * A link stored before today's rules (a ".." id, a lone surrogate) is checked again before use:
 * it fails its own vendor with a clear problem, and never stops the driver's other vendors.
 */
const storedLinkProblem = (driverId: string, vendor: VendorName, entry: unknown): Problem | undefined => {
  const prefix = `links.${vendor}`;
  const shape = inputShapeErrors(entry, prefix);
  const parsed = shape.length ? undefined : links.shape[vendor].safeParse(entry);
  const errors = shape.length ? shape : parsed && !parsed.success ? fieldErrors(parsed.error, prefix) : [];
  if (errors.length === 0) return undefined;
  return validationProblem(errors, `The stored ${vendor} link of driver "${driverId}" is not valid; PUT /v1/drivers/${driverId}/links again. Nothing was sent to ${vendor}.`);
};

/** Plans only for usable records; each suppressed one is skipped with its reason, each invalid one fails alone. */
const planAround = (driverId: string, stored: DriverLinks, plan: (links: DriverLinks) => VendorPlan[]): VendorPlan[] => {
  const active: DriverLinks = {};
  const others: VendorPlan[] = [];
  for (const vendor of VENDORS) {
    const entry = stored[vendor];
    if (!entry) continue;
    const problem = storedLinkProblem(driverId, vendor, entry);
    if (problem) others.push({ vendor, kind: 'failed', problem });
    else if (entry.suppressed) others.push({ vendor, kind: 'skip', reason: `Suppressed: ${entry.suppressedReason}` });
    else (active as Record<string, unknown>)[vendor] = entry;
  }
  return [...plan(active), ...others];
};

/** What an outcome event says about a fan-out: per vendor, how it ended and why — no vendor text. */
const fanOutSummary = (driverId: string, results: FanOutBody['results']) => ({
  driverId,
  results: Object.fromEntries(
    Object.entries(results).map(([vendor, result]) => [
      vendor,
      {
        outcome: result.outcome,
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(result.skipped ? { skipped: result.skipped } : {}),
        ...(result.alreadyDone ? { alreadyDone: result.alreadyDone } : {}),
        ...(result.retriable !== undefined ? { retriable: result.retriable } : {}),
        ...(result.idempotencyKey ? { idempotencyKey: result.idempotencyKey } : {}),
        ...(result.error ? { problem: problemSummary(result.error) } : {}),
      },
    ]),
  ),
});

/**
 * Final unless a vendor's write is uncertain, it failed on its side, or its stored link is not
 * valid (fixed by PUTting the links again): a retry with the same key must run then.
 */
const isFinal = (results: FanOutBody['results']): boolean =>
  Object.values(results).every(
    (result) =>
      result.outcome === 'succeeded' ||
      result.outcome === 'skipped' ||
      (result.outcome === 'failed' && (result.status ?? 500) < 500 && result.error?.type !== problemTypeUri('validation-error')),
  );

export const runFanOut = async (
  driverId: string,
  ctx: OperationContext,
  plan: (links: DriverLinks) => VendorPlan[],
  /** The caller's mass-change confirmation token (the guard itself runs in executePlans). */
  confirmation?: string,
): Promise<OperationResult> => {
  const plans = planAround(driverId, await linksOf(driverId), plan);
  const results = await executePlans(plans, ctx, confirmation);
  const body: FanOutBody = { driverId, results };
  return { status: aggregateStatus(results), body, summary: fanOutSummary(driverId, results), final: isFinal(results) };
};

/** `?dryRun=true`: the same plan, described instead of run; the links are only read and nothing is counted. */
export const dryRunFanOut = async (driverId: string, ctx: OperationContext, plan: (links: DriverLinks) => VendorPlan[]): Promise<OperationResult> => {
  const plans = planAround(driverId, await linksOf(driverId), plan);
  const body: DryRunBody = { driverId, dryRun: true, vendors: describePlans(plans, ctx) };
  return { status: 200, body, summary: { driverId, dryRun: true } };
};
