/**
 * A token bucket per credential, and one per organisation (every credential of the vendor's
 * account). Samsara documents 150 requests/s per token and 200 per organisation; the others publish
 * no numbers, so the per-credential defaults for them are our conservative choice (DriveQuant 50/s,
 * ChargeAPI 100/s, Focus 20/s) and they have no organisation limit. Override with
 * SIMULATOR_RATE_LIMITS=samsara=150,focus=20 and SIMULATOR_ORG_RATE_LIMITS=samsara=200 (0 disables).
 */
export const DEFAULT_RATE_LIMITS: Record<string, number> = { samsara: 150, drivequant: 50, chargeapi: 100, focus: 20 };
export const DEFAULT_ORG_RATE_LIMITS: Record<string, number> = { samsara: 200, drivequant: 0, chargeapi: 0, focus: 0 };

export const parseRateLimits = (spec: string | undefined, defaults = DEFAULT_RATE_LIMITS, setting = 'SIMULATOR_RATE_LIMITS'): Record<string, number> => {
  const limits = { ...defaults };
  for (const entry of (spec ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [vendor, value] = entry.split('=');
    const rate = Number(value);
    if (!vendor || !(vendor in limits) || !Number.isFinite(rate) || rate < 0) throw new Error(`${setting}: bad entry "${entry}"`);
    limits[vendor] = rate;
  }
  return limits;
};

export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly now: () => number = () => performance.now()) {}

  /** Takes a token for `key`; when none is left, returns the seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.perSecond <= 0) return { ok: true };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perSecond, at: now };
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: (1 - bucket.tokens) / this.perSecond };
  }

  reset(): void {
    this.buckets.clear();
  }
}
