import { afterEach, describe, expect, it, vi } from 'vitest';
import { Problem } from '../../functions/core/problem';
import { ratePerSecond, resetRateBudgets, spendRateBudget } from '../../functions/core/rate-budget';

afterEach(() => {
  resetRateBudgets();
  vi.unstubAllEnvs();
});

describe('per-vendor rate budget', () => {
  it('defaults to 95% of the documented or chosen limit and can be overridden', () => {
    expect(ratePerSecond('samsara')).toBeCloseTo(142.5);
    vi.stubEnv('FOCUS_RATE_PER_SECOND', '3');
    expect(ratePerSecond('focus')).toBe(3);
  });

  it('lets a burst of the rate through at once, then paces the next request', async () => {
    vi.stubEnv('DRIVEQUANT_RATE_PER_SECOND', '20');
    // A burst needs no wait: with no time to spare, any wait would be refused.
    for (let i = 0; i < 20; i += 1) await spendRateBudget('drivequant', Date.now() + 30);
    await expect(spendRateBudget('drivequant', Date.now() + 30)).rejects.toBeInstanceOf(Problem);
    const beforePaced = Date.now();
    await spendRateBudget('drivequant', Date.now() + 5_000);
    expect(Date.now() - beforePaced).toBeGreaterThanOrEqual(40);
  });

  it('refuses at once with a 503 and Retry-After when the slot is past the deadline', async () => {
    vi.stubEnv('CHARGEAPI_RATE_PER_SECOND', '1');
    await spendRateBudget('chargeapi', Date.now() + 5_000);
    const refused = spendRateBudget('chargeapi', Date.now() + 100);
    await expect(refused).rejects.toBeInstanceOf(Problem);
    await expect(refused).rejects.toMatchObject({ status: 503, options: { retryAfter: expect.any(Number), vendor: { name: 'chargeapi' } } });
  });

  it('0 disables the budget', async () => {
    vi.stubEnv('SAMSARA_RATE_PER_SECOND', '0');
    for (let i = 0; i < 1000; i += 1) await spendRateBudget('samsara', Date.now() + 1);
  });
});
