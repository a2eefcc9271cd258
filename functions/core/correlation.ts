/** Correlation ids travel in logs and responses, so only a safe, bounded charset is accepted from callers. */
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

export const safeId = (candidate: string | undefined): string | undefined =>
  candidate && SAFE_ID.test(candidate) ? candidate : undefined;

export const correlationIdFrom = (...candidates: (string | undefined)[]): string => {
  for (const candidate of candidates) {
    const id = safeId(candidate);
    if (id) return id;
  }
  return randomUUID();
};
