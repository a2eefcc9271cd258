import { createHash } from 'node:crypto';

/**
 * A vendor idempotency key derived from the logical request (its key plus what it changes), so
 * every retry of that request — ours, Lambda's or EventBridge's — sends the same key, and a
 * different change never reuses one. 67 characters, inside ChargeAPI's 255.
 */
export const deriveIdempotencyKey = (...parts: string[]): string =>
  `dg-${createHash('sha256').update(parts.join('\u0000')).digest('hex')}`;
