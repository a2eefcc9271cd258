import * as z from 'zod/mini';

// Documented id prefixes (drv_, flt_); the rest of the format is unconfirmed, so the pattern is lenient.
const chargeId = (prefix: string) =>
  z.string().check(z.maxLength(255), z.regex(new RegExp(`^${prefix}[A-Za-z0-9_-]+$`), `Must be a ChargeAPI id starting with ${prefix}`));

export const driverIdSchema = chargeId('drv_');
export const fleetIdSchema = chargeId('flt_');

export const detachParams = z.strictObject({ driver: driverIdSchema });
export const detachRequest = z.strictObject({ fleet: fleetIdSchema });
export type DetachRequest = z.output<typeof detachRequest>;

/** The Driver object; `created`/`updated` are integers in older docs and ISO strings in newer ones. */
export const chargeDriver = z.looseObject({
  id: z.string(),
  object: z.literal('driver'),
  fleets: z.array(z.string()),
  created: z.optional(z.union([z.string(), z.number()])),
  updated: z.optional(z.union([z.string(), z.number()])),
  status: z.optional(z.string()),
});
