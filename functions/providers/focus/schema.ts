import * as z from 'zod/mini';
import { boundedRecord, calendarDate, text } from '../../core/formats';

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

const identifierValue = () => z.optional(text(1, 255));

export const identifiers = z
  .strictObject({
    driver_number: identifierValue(),
    custom_identifier_1: identifierValue(),
    custom_identifier_2: identifierValue(),
  })
  .check(z.refine((ids) => Object.values(ids).some((v) => v !== undefined), 'Give at least one identifier'));
export type FocusIdentifiers = z.output<typeof identifiers>;

/** `null` or `""` clears the field in CBA; an absent field is left unchanged (and never sent). */
const clearable = <T extends z.ZodMiniType>(schema: T) => z.optional(z.union([schema, z.literal(''), z.null()]));
const field = (max = 255) => clearable(text(1, max));

export const driverFields = z
  .strictObject({
    first_name: field(),
    middle_name: field(),
    last_name: field(),
    dob: clearable(calendarDate()),
    email: clearable(z.email().check(z.maxLength(255))),
    phone_number: field(50),
    cell_number: field(50),
    address: field(),
    address2: field(),
    city: field(),
    state: field(50),
    zip: field(20),
    license: field(50),
    license_state: field(50),
    custom_fields: z.optional(
      boundedRecord(
        z.string().check(z.regex(/^[A-Za-z0-9_]{1,64}$/, 'Custom field names are letters, digits and _')),
        z.union([z.string().check(z.maxLength(1024)), z.null()]),
      ),
    ),
  })
  .check(z.refine((d) => Object.values(d).some((v) => v !== undefined), 'Give at least one driver field to update'));
export type FocusDriverFields = z.output<typeof driverFields>;

export const updateDriverRequest = z.strictObject({ identifiers, driver: driverFields });
export type FocusUpdateDriverRequest = z.output<typeof updateDriverRequest>;

export const focusAnswer = z.looseObject({
  success: z.boolean(),
  error_code: z.optional(z.nullable(z.string())),
  error_message: z.optional(z.nullable(z.string())),
});
