/**
 * The canonical driver: the operator's view of a driver, mapped to each vendor's own fields.
 * Absent = unchanged, `null` = clear.
 */
import * as z from 'zod';
import { calendarDate, ianaTimeZone } from '../core/formats';
import { driverIdSchema as chargeDriverId, fleetIdSchema } from '../providers/chargeapi/schema';
import { statusParams } from '../providers/drivequant/schema';
import { identifiers as focusIdentifiers } from '../providers/focus/schema';
import { driverId as samsaraDriverId } from '../providers/samsara/schema';

const clearable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const text = (max = 255) => clearable(z.string().trim().min(1).max(max));

export const address = z.strictObject({
  line1: text(),
  line2: text(),
  city: text(),
  state: text(50),
  postalCode: text(20),
});

export const canonicalDriverFields = z.strictObject({
  firstName: text(),
  middleName: text(),
  lastName: text(),
  email: clearable(z.email().max(255)),
  phone: text(50),
  mobilePhone: text(50),
  dateOfBirth: clearable(calendarDate()),
  licenseNumber: text(50),
  licenseState: text(50),
  address: clearable(address),
  timezone: clearable(ianaTimeZone()),
});

export const canonicalDriverUpdate = canonicalDriverFields.refine(
  (fields) => Object.values(fields).some((value) => value !== undefined),
  'Set at least one field to update',
);
export type CanonicalDriverUpdate = z.output<typeof canonicalDriverFields>;
export type CanonicalField = keyof CanonicalDriverUpdate;

/** The operator's own id for the driver (e.g. an HR employee id). */
export const driverIdParam = z.strictObject({
  driverId: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@-]+$/, 'Letters, digits and . _ : @ - only'),
});

export const links = z
  .strictObject({
    samsara: z.strictObject({ id: samsaraDriverId }).optional(),
    drivequant: z.strictObject({ userId: statusParams.shape.userId }).optional(),
    chargeapi: z.strictObject({ driver: chargeDriverId, fleets: z.array(fleetIdSchema).max(100).optional() }).optional(),
    focus: z.strictObject({ identifiers: focusIdentifiers }).optional(),
  })
  .refine((value) => Object.values(value).some((link) => link !== undefined), 'Link at least one vendor');
export type DriverLinks = z.output<typeof links>;
