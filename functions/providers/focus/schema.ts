import * as z from 'zod';
import { calendarDate } from '../../core/formats';

/**
 * The doc spells the first custom identifier `custom_idenfier_1` in the update example and
 * `custom_identifier_2` beside it; which spelling CBA accepts is unconfirmed. Callers always use
 * the correct spelling; this table is the one place that decides what goes on the wire.
 */
export const WIRE_IDENTIFIER_KEYS = {
  driver_number: 'driver_number',
  custom_identifier_1: 'custom_identifier_1',
  custom_identifier_2: 'custom_identifier_2',
} as const;

const identifierValue = z.string().min(1).max(255);

export const identifiers = z
  .strictObject({
    driver_number: identifierValue.optional(),
    custom_identifier_1: identifierValue.optional(),
    custom_identifier_2: identifierValue.optional(),
  })
  .refine((ids) => Object.values(ids).some((v) => v !== undefined), 'Give at least one identifier');
export type FocusIdentifiers = z.output<typeof identifiers>;

/** `null` or `""` clears the field in CBA; an absent field is left unchanged (and never sent). */
const clearable = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal(''), z.null()]).optional();
const text = (max = 255) => clearable(z.string().min(1).max(max));

export const driverFields = z
  .strictObject({
    first_name: text(),
    middle_name: text(),
    last_name: text(),
    dob: clearable(calendarDate()),
    email: clearable(z.email().max(255)),
    phone_number: text(50),
    cell_number: text(50),
    address: text(),
    address2: text(),
    city: text(),
    state: text(50),
    zip: text(20),
    license: text(50),
    license_state: text(50),
    custom_fields: z
      .record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'Custom field names are letters, digits and _'), z.union([z.string().max(1024), z.null()]))
      .optional(),
  })
  .refine((d) => Object.values(d).some((v) => v !== undefined), 'Give at least one driver field to update');
export type FocusDriverFields = z.output<typeof driverFields>;

export const updateDriverRequest = z.strictObject({ identifiers, driver: driverFields });
export type FocusUpdateDriverRequest = z.output<typeof updateDriverRequest>;

export const focusAnswer = z.looseObject({
  success: z.boolean(),
  error_code: z.string().nullish(),
  error_message: z.string().nullish(),
});
