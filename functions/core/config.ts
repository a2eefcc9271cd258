/** Everything the functions read from their environment, in one place, read at call time. */
import type { VendorName } from './problem';
import { Problem } from './problem';

const envName = (vendor: VendorName, suffix: string): string => `${vendor.toUpperCase()}_${suffix}`;

export const secretIdFor = (vendor: VendorName): string => process.env[envName(vendor, 'SECRET_ID')] || `driver-gateway/${vendor}`;

/**
 * Why a base URL cannot be used, or undefined when it can. Never quotes the URL: one with
 * user-info carries a password, and this text reaches logs and problems.
 */
export const baseUrlFault = (value: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not carry credentials (user:password@); they belong in the vendor secret';
  if (url.search || url.hash || value.includes('?') || value.includes('#')) return 'must not have a query or a fragment';
  return undefined;
};

export const baseUrlFor = (vendor: VendorName, productionUrl: string | undefined): string => {
  const name = envName(vendor, 'BASE_URL');
  const configured = process.env[name] || productionUrl;
  if (!configured) {
    throw new Problem('configuration-error', `${name} is not set and ${vendor} has no public default.`);
  }
  const fault = baseUrlFault(configured);
  if (fault) throw new Problem('configuration-error', `${name} ${fault}.`);
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
