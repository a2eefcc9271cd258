/**
 * The shared path of every fan-out operation: claim the idempotency key, load the driver's links,
 * plan (validating every vendor body first), then either describe the plan (dry run) or run it.
 */
import { withIdempotency } from '../core/idempotency';
import type { OperationContext, OperationResult } from '../core/operation';
import { Problem, VENDORS, type VendorName } from '../core/problem';
import { validationProblem } from '../core/validation';
import { aggregateStatus, describePlans, executePlans, type VendorPlan, type VendorResult } from './fan-out';
import { getLinks } from './links-store';
import type { DriverLinks } from './model';

export const DRIVER_OUTCOME_DETAIL_TYPES = {
  succeeded: 'Driver Operation Succeeded',
  'partially-failed': 'Driver Operation Partially Failed',
  failed: 'Driver Operation Failed',
} as const;

export interface FanOutBody {
  driverId: string;
  results: Partial<Record<VendorName, VendorResult>>;
}

const isDryRun = (ctx: OperationContext): boolean => {
  const value = ctx.query.dryRun;
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw validationProblem([{ path: 'query.dryRun', message: 'Must be true or false' }]);
};

const linksOf = async (driverId: string): Promise<DriverLinks> => {
  const stored = await getLinks(driverId);
  if (!stored) throw new Problem('driver-not-linked', `Driver "${driverId}" has no vendor links; PUT /v1/drivers/${driverId}/links first.`);
  return stored.links;
};

/** Plans only for the records that are not suppressed; each suppressed one is skipped with its reason. */
const planAround = (links: DriverLinks, plan: (links: DriverLinks) => VendorPlan[]): VendorPlan[] => {
  const active: DriverLinks = {};
  const suppressed: VendorPlan[] = [];
  for (const vendor of VENDORS) {
    const entry = links[vendor];
    if (!entry) continue;
    if (entry.suppressed) suppressed.push({ vendor, kind: 'skip', reason: `Suppressed: ${entry.suppressedReason}` });
    else (active as Record<string, unknown>)[vendor] = entry;
  }
  return [...plan(active), ...suppressed];
};

export const runFanOut = async (
  driverId: string,
  input: unknown,
  ctx: OperationContext,
  plan: (links: DriverLinks) => VendorPlan[],
  /** Runs once the plan is valid and before any vendor call (e.g. the mass-change guard). */
  beforeCalls?: () => Promise<void>,
): Promise<OperationResult> => {
  if (isDryRun(ctx)) {
    const plans = planAround(await linksOf(driverId), plan);
    return { status: 200, body: { driverId, dryRun: true, vendors: describePlans(plans) } };
  }
  return withIdempotency(ctx.operation, ctx.idempotencyKey, { driverId, input }, ctx.log, async () => {
    const plans = planAround(await linksOf(driverId), plan);
    await beforeCalls?.();
    const results = await executePlans(plans, ctx);
    const body: FanOutBody = { driverId, results };
    return { status: aggregateStatus(results), body };
  });
};
