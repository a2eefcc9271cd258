/**
 * Runs one plan per linked vendor in parallel, under the invocation's shared deadline, and turns
 * each into a per-vendor result. One vendor's failure never stops the others. Every step that
 * deactivates a vendor record passes the mass-change guard first, here, for every fan-out.
 */
import { mayHaveApplied, releaseDeactivations, reserveDeactivations } from '../core/mass-change-guard';
import type { OperationContext } from '../core/operation';
import { toProblem, type Problem, type ProblemDocument, type VendorName } from '../core/problem';
import type { VendorRequest, VendorSpec } from '../core/vendor';
import { describeRequest, type DryRunBody, type PlannedVendor } from '../core/dry-run';

export interface VendorStep {
  spec: VendorSpec<never>;
  request: VendorRequest;
  /** Sends the request through the vendor's client (its validation of the answer included). */
  send(ctx: OperationContext): Promise<unknown>;
  /** A refusal that means "already done" (e.g. detaching from a fleet the driver already left). */
  alreadyDone?(problem: ReturnType<typeof toProblem>): boolean;
  /** The vendor record this step deactivates or detaches (`samsara:<id>`…): counted by the mass-change guard. */
  deactivates?: string;
}

export type VendorPlan =
  | { vendor: VendorName; kind: 'skip'; reason: string; skipped?: string[] }
  /** Known to fail before any call (e.g. a stored link that today's rules refuse): this vendor only. */
  | { vendor: VendorName; kind: 'failed'; problem: Problem }
  | { vendor: VendorName; kind: 'call'; steps: VendorStep[]; skipped?: string[] };

export interface VendorResult {
  /** `uncertain`: a write went out and no answer came back; it may have been applied. */
  outcome: 'succeeded' | 'failed' | 'uncertain' | 'skipped';
  status?: number;
  error?: ProblemDocument;
  /** Input fields this vendor cannot take. */
  skipped?: string[];
  reason?: string;
  /** Steps the vendor reported as already done (idempotent repeats). */
  alreadyDone?: number;
  /** For uncertain outcomes: safe to retry, and with which idempotency key. */
  retriable?: boolean;
  idempotencyKey?: string;
}

/** Told, per step, whether it may have changed the vendor's record (sent and applied, or uncertain). */
type StepEnded = (step: VendorStep, mayHaveChanged: boolean) => void;

const runSteps = async (plan: Extract<VendorPlan, { kind: 'call' }>, ctx: OperationContext, ended: StepEnded): Promise<VendorResult> => {
  const settled = await Promise.all(
    plan.steps.map(async (step) => {
      try {
        await step.send(ctx);
        ended(step, true);
        return { ok: true as const };
      } catch (error) {
        const problem = toProblem(error);
        ended(step, !step.alreadyDone?.(problem) && mayHaveApplied(error));
        if (step.alreadyDone?.(problem)) return { ok: true as const, alreadyDone: true };
        return { ok: false as const, problem };
      }
    }),
  );
  const failure = settled.find((step) => !step.ok);
  const extras = {
    ...(plan.skipped?.length ? { skipped: plan.skipped } : {}),
  };
  if (failure && !failure.ok) {
    const { problem } = failure;
    const uncertain = problem.options.uncertain;
    return {
      outcome: uncertain ? 'uncertain' : 'failed',
      status: problem.status,
      error: problem.toJSON(),
      ...(uncertain ? { retriable: problem.retriable, ...(uncertain.idempotencyKey ? { idempotencyKey: uncertain.idempotencyKey } : {}) } : {}),
      ...extras,
    };
  }
  const alreadyDone = settled.filter((step) => step.ok && 'alreadyDone' in step).length;
  return { outcome: 'succeeded', status: 200, ...extras, ...(alreadyDone ? { alreadyDone } : {}) };
};

const failedResult = (problem: Problem): VendorResult => ({ outcome: 'failed', status: problem.status, error: problem.toJSON() });

/**
 * Runs the plans. The vendor records they deactivate are reserved with the mass-change guard before
 * any call — all of them, or the whole request is held (428) and no vendor is touched; skipped and
 * failed plans reserve nothing. Afterwards a record whose every step ended in a definite failure
 * (nothing sent, a refusal, already done) is released: only real deactivations count.
 */
export const executePlans = async (
  plans: VendorPlan[],
  ctx: OperationContext,
  /** The caller's mass-change confirmation token, if any. */
  confirmation?: string,
): Promise<Partial<Record<VendorName, VendorResult>>> => {
  const records = plans.flatMap((plan) => (plan.kind === 'call' ? plan.steps.flatMap((step) => (step.deactivates ? [step.deactivates] : [])) : []));
  const reservation = await reserveDeactivations(records, confirmation, ctx.log);
  const changed = new Set<string>();
  const unchanged = new Set<string>();
  const ended: StepEnded = (step, mayHaveChanged) => {
    if (step.deactivates) (mayHaveChanged ? changed : unchanged).add(step.deactivates);
  };
  const results = await Promise.all(
    plans.map(async (plan): Promise<[VendorName, VendorResult]> => [
      plan.vendor,
      plan.kind === 'skip'
        ? { outcome: 'skipped', reason: plan.reason, ...(plan.skipped?.length ? { skipped: plan.skipped } : {}) }
        : plan.kind === 'failed'
          ? failedResult(plan.problem)
          : await runSteps(plan, ctx, ended),
    ]),
  );
  await releaseDeactivations(reservation, [...unchanged].filter((record) => !changed.has(record)), ctx.log);
  return Object.fromEntries(results);
};

export const describePlans = (plans: VendorPlan[], ctx: Pick<OperationContext, 'idempotencyKey'>): DryRunBody['vendors'] =>
  Object.fromEntries(
    plans.map((plan): [VendorName, PlannedVendor] => [
      plan.vendor,
      plan.kind === 'skip'
        ? { outcome: 'skipped', reason: plan.reason, ...(plan.skipped?.length ? { skipped: plan.skipped } : {}) }
        : plan.kind === 'failed'
          ? { outcome: 'failed', error: plan.problem.toJSON() }
          : { requests: plan.steps.map((step) => describeRequest(step.spec, step.request, ctx)), ...(plan.skipped?.length ? { skipped: plan.skipped } : {}) },
    ]),
  );

/**
 * The status follows the vendors' verdicts: 200 when nothing failed, 207 when some vendors failed
 * and some succeeded. When none succeeded, refusals of the request itself (every failure a 4xx:
 * not found, a stored link that is not valid, a rejected field) answer that 4xx — the shared one,
 * else 422 — since retrying cannot help; any vendor or transport failure, or an uncertain write
 * (not a success), answers 502.
 */
export const aggregateStatus = (results: Partial<Record<VendorName, VendorResult>>): number => {
  const all = Object.values(results).filter((result): result is VendorResult => result !== undefined);
  const failures = all.filter((result) => result.outcome === 'failed' || result.outcome === 'uncertain');
  if (failures.length === 0) return 200;
  if (all.some((result) => result.outcome === 'succeeded')) return 207;
  const refusals = failures.map((result) => (result.outcome === 'failed' && result.status !== undefined && result.status >= 400 && result.status < 500 ? result.status : undefined));
  if (refusals.some((status) => status === undefined)) return 502;
  return new Set(refusals).size === 1 ? refusals[0]! : 422;
};
