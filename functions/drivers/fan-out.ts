/**
 * Runs one plan per linked vendor in parallel, under the invocation's shared deadline, and turns
 * each into a per-vendor result. One vendor's failure never stops the others.
 */
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

const runSteps = async (plan: Extract<VendorPlan, { kind: 'call' }>, ctx: OperationContext): Promise<VendorResult> => {
  const settled = await Promise.all(
    plan.steps.map(async (step) => {
      try {
        await step.send(ctx);
        return { ok: true as const };
      } catch (error) {
        const problem = toProblem(error);
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

export const executePlans = async (plans: VendorPlan[], ctx: OperationContext): Promise<Partial<Record<VendorName, VendorResult>>> => {
  const results = await Promise.all(
    plans.map(async (plan): Promise<[VendorName, VendorResult]> => [
      plan.vendor,
      plan.kind === 'skip'
        ? { outcome: 'skipped', reason: plan.reason, ...(plan.skipped?.length ? { skipped: plan.skipped } : {}) }
        : plan.kind === 'failed'
          ? failedResult(plan.problem)
          : await runSteps(plan, ctx),
    ]),
  );
  return Object.fromEntries(results);
};

export const describePlans = (plans: VendorPlan[]): DryRunBody['vendors'] =>
  Object.fromEntries(
    plans.map((plan): [VendorName, PlannedVendor] => [
      plan.vendor,
      plan.kind === 'skip'
        ? { outcome: 'skipped', reason: plan.reason, ...(plan.skipped?.length ? { skipped: plan.skipped } : {}) }
        : plan.kind === 'failed'
          ? { outcome: 'failed', error: plan.problem.toJSON() }
          : { requests: plan.steps.map((step) => describeRequest(step.spec, step.request)), ...(plan.skipped?.length ? { skipped: plan.skipped } : {}) },
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
