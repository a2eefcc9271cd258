/**
 * The canonical driver: the operator's view of a driver, mapped to each vendor's own fields.
 * Absent = unchanged, `null` = clear.
 */
import * as z from 'zod/mini';
import { calendarDate, ianaTimeZone, text } from '../core/formats';
import { isDotSegment } from '../core/vendor-path';
import { driverIdSchema as chargeDriverId, fleetIdSchema } from '../providers/chargeapi/schema';
import { statusParams } from '../providers/drivequant/schema';
import { identifiers as focusIdentifiers } from '../providers/focus/schema';
import { driverId as samsaraDriverId } from '../providers/samsara/schema';

const clearable = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));
const field = (max = 255) => clearable(z.string().check(z.trim(), z.minLength(1), z.maxLength(max)));

export const address = z.strictObject({
  line1: field(),
  line2: field(),
  city: field(),
  state: field(50),
  postalCode: field(20),
});

export const canonicalDriverFields = z.strictObject({
  firstName: field(),
  middleName: field(),
  lastName: field(),
  email: clearable(z.email().check(z.maxLength(255))),
  phone: field(50),
  mobilePhone: field(50),
  dateOfBirth: clearable(calendarDate()),
  licenseNumber: field(50),
  licenseState: field(50),
  address: clearable(address),
  timezone: clearable(ianaTimeZone()),
});

export const canonicalDriverUpdate = canonicalDriverFields.check(
  z.refine((fields) => Object.values(fields).some((value) => value !== undefined), 'Set at least one field to update'),
);
export type CanonicalDriverUpdate = z.output<typeof canonicalDriverFields>;
export type CanonicalField = keyof CanonicalDriverUpdate;

/** The operator's own id for the driver (e.g. an HR employee id). */
export const driverIdParam = z.strictObject({
  driverId: text(1, 128).check(
    z.regex(/^[A-Za-z0-9._:@-]+$/, 'Letters, digits and . _ : @ - only'),
    z.refine((id) => !isDotSegment(id), 'Must not be "." or ".." (a URL would collapse it)'),
  ),
});

/**
 * A vendor record can be suppressed (e.g. under investigation, or managed by hand): fan-out then
 * skips it and says why. A reason is required so the skip explains itself.
 */
const suppression = {
  suppressed: z.optional(z.boolean()),
  suppressedReason: z.optional(text(1, 500)),
};
const needsReason = z.refine<{ suppressed?: boolean; suppressedReason?: string }>((value) => !value.suppressed || value.suppressedReason !== undefined, {
  path: ['suppressedReason'],
  message: 'Say why the record is suppressed',
});
// The check only reads the two suppression fields every link has; the cast spares a generic bound.
const link = <S extends Record<string, z.ZodMiniType>>(shape: S) => z.optional(z.strictObject({ ...shape, ...suppression }).check(needsReason as never));

export const links = z
  .strictObject({
    samsara: link({ id: samsaraDriverId }),
    drivequant: link({ userId: statusParams.shape.userId }),
    chargeapi: link({ driver: chargeDriverId, fleets: z.optional(z.array(fleetIdSchema).check(z.maxLength(100))) }),
    focus: link({ identifiers: focusIdentifiers }),
  })
  .check(z.refine((value) => Object.values(value).some((link) => link !== undefined), 'Link at least one vendor'));
export type DriverLinks = z.output<typeof links>;
