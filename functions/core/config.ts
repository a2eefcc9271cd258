/** Everything the functions read from their environment, in one place, read at call time. */
import type { VendorName } from './problem';
import { Problem } from './problem';

const envName = (vendor: VendorName, suffix: string): string => `${vendor.toUpperCase()}_${suffix}`;

export const secretIdFor = (vendor: VendorName): string => process.env[envName(vendor, 'SECRET_ID')] || `driver-gateway/${vendor}`;

export const baseUrlFor = (vendor: VendorName, productionUrl: string | undefined): string => {
  const configured = process.env[envName(vendor, 'BASE_URL')] || productionUrl;
  if (!configured) {
    throw new Problem('configuration-error', `${envName(vendor, 'BASE_URL')} is not set and ${vendor} has no public default.`);
  }
  return configured.replace(/\/+$/, '');
};

export const numberFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

/** Outbound limits. The total budget keeps every request well inside API Gateway's 29 s. */
export const outboundPolicy = () => ({
  attemptTimeoutMs: numberFromEnv('VENDOR_ATTEMPT_TIMEOUT_MS', 5_000),
  budgetMs: numberFromEnv('VENDOR_BUDGET_MS', 20_000),
  maxAttempts: Math.max(1, Math.floor(numberFromEnv('VENDOR_MAX_ATTEMPTS', 4))),
  baseDelayMs: numberFromEnv('VENDOR_RETRY_BASE_MS', 100),
  maxDelayMs: numberFromEnv('VENDOR_RETRY_MAX_MS', 2_000),
});
export type OutboundPolicy = ReturnType<typeof outboundPolicy>;
