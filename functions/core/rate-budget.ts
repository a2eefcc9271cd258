/**
 * A per-vendor rate budget spent before each outbound attempt, so a burst is paced under the
 * vendor's limit instead of discovering it through 429s. Per process (per Lambda instance): the
 * stack's concurrency caps bound how many instances share a vendor.
 * Defaults: 95% of Samsara's documented 150 req/s per token; the others publish no numbers, so
 * conservative choices: DriveQuant 50, ChargeAPI 100, Focus 20 (× 0.95). `<VENDOR>_RATE_PER_SECOND`
 * overrides (0 disables).
 */
import { numberFromEnv } from './config';
import { Problem, type VendorName } from './problem';
import { sleep } from './retry';

export const DOCUMENTED_OR_CHOSEN_LIMITS: Record<VendorName, number> = { samsara: 150, drivequant: 50, chargeapi: 100, focus: 20 };
const HEADROOM = 0.95;

interface Budget {
  rate: number;
  /** Tokens available now; negative = already promised to callers that are waiting. */
  tokens: number;
  at: number;
}

const budgets = new Map<VendorName, Budget>();

export const ratePerSecond = (vendor: VendorName): number =>
  numberFromEnv(`${vendor.toUpperCase()}_RATE_PER_SECOND`, DOCUMENTED_OR_CHOSEN_LIMITS[vendor] * HEADROOM);

/**
 * Reserves one request slot and waits for it. A slot later than the deadline is refused at once
 * with a 503 naming when to retry, rather than waiting into a timeout.
 */
export const spendRateBudget = async (vendor: VendorName, deadline: number, now: () => number = Date.now): Promise<void> => {
  const rate = ratePerSecond(vendor);
  if (rate <= 0) return;
  const t = now();
  let budget = budgets.get(vendor);
  if (!budget || budget.rate !== rate) {
    budget = { rate, tokens: rate, at: t };
    budgets.set(vendor, budget);
  }
  budget.tokens = Math.min(rate, budget.tokens + ((t - budget.at) / 1000) * rate);
  budget.at = t;
  const waitMs = budget.tokens >= 1 ? 0 : ((1 - budget.tokens) / rate) * 1000;
  if (t + waitMs >= deadline) {
    throw new Problem('vendor-rate-limited', `The gateway's request budget for ${vendor} is spent until after this request's deadline.`, {
      vendor: { name: vendor },
      retryAfter: Math.max(1, waitMs / 1000),
    });
  }
  budget.tokens -= 1;
  if (waitMs > 0) await sleep(waitMs);
};

export const resetRateBudgets = (): void => budgets.clear();
