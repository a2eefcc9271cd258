/**
 * Samsara `UpdateDriverRequest` (OpenAPI 2025-10-23) with every constraint the document states,
 * in its descriptions as well as its keywords. A test checks this schema against the OpenAPI
 * document so the two cannot drift apart silently.
 */
import * as z from 'zod/mini';
import { boundedArray, boundedRecord, calendarDate, ianaTimeZone, pathSegmentId, text } from '../../core/formats';

export const SAMSARA_LOCALES = ['us', 'at', 'be', 'ca', 'gb', 'fr', 'de', 'ie', 'it', 'lu', 'mx', 'nl', 'es', 'ch', 'pr'] as const;

export const US_CYCLES = [
  'USA Property (8/70)', 'USA Property (7/60)', 'USA Passenger (8/70)', 'USA Passenger (7/60)',
  'Alaska Property (8/80)', 'Alaska Property (7/70)', 'Alaska Passenger (8/80)', 'Alaska Passenger (7/70)',
  'California School/FLV (8/80)', 'California Farm (8/112)', 'California Property (8/80)',
  'California Flammable Liquid (8/80)', 'California Passenger (8/80)', 'California Motion Picture (8/80)',
  'Florida (8/80)', 'Florida (7/70)', 'Nebraska (8/80)', 'Nebraska (7/70)', 'North Carolina (8/80)',
  'North Carolina (7/70)', 'Oklahoma (8/70)', 'Oklahoma (7/60)', 'Oregon (8/80)', 'Oregon (7/70)',
  'South Carolina (8/80)', 'South Carolina (7/70)', 'Texas (7/70)', 'Wisconsin (8/80)', 'Wisconsin (7/70)',
] as const;
export const US_RESTARTS = ['34-hour Restart', '24-hour Restart', '36-hour Restart', '72-hour Restart', 'None'] as const;
export const US_RESTBREAKS = ['Property (off-duty/sleeper)', 'California Mealbreak (off-duty/sleeper)', 'None'] as const;
export const US_STATES_TO_OVERRIDE = ['', 'AK', 'CA', 'FL', 'NE', 'NC', 'OK', 'OR', 'SC', 'TX', 'WI'] as const;

/** "Abbreviation of US state, Canadian province, or US territory that issued driver's license." */
export const LICENSE_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA',
  'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR',
  'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'AS', 'GU', 'MP', 'PR', 'VI', 'UM',
  'AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT',
] as const;

/** Samsara refuses deactivation times older than this. */
export const MAX_DEACTIVATION_AGE_MONTHS = 6;

/** True when `value` (a date-time) is no older than Samsara accepts for a deactivation. */
export const withinDeactivationAge = (value: string, now = new Date()): boolean => {
  const oldest = new Date(now);
  oldest.setUTCMonth(oldest.getUTCMonth() - MAX_DEACTIVATION_AGE_MONTHS);
  return new Date(value) >= oldest;
};

const optional = z.optional;
const maxText = (max: number) => z.string().check(z.maxLength(max));

export const carrierSettings = z.strictObject({
  carrierName: optional(maxText(255)),
  dotNumber: optional(z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER))),
  homeTerminalAddress: optional(maxText(255)),
  homeTerminalName: optional(maxText(255)),
  mainOfficeAddress: optional(maxText(255)),
});

export const usDriverRulesetOverride = z.strictObject({
  cycle: z.enum(US_CYCLES),
  restart: z.enum(US_RESTARTS),
  restbreak: z.enum(US_RESTBREAKS),
  usStateToOverride: z.enum(US_STATES_TO_OVERRIDE),
});

const nonEmpty = () => z.string().check(z.minLength(1));

export const attribute = z.strictObject({
  id: optional(nonEmpty()),
  name: optional(nonEmpty()),
  stringValues: optional(boundedArray(z.string())),
  numberValues: optional(boundedArray(z.number())),
  dateValues: optional(boundedArray(calendarDate())),
});

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Must be base64-encoded image data'));

export const updateDriverFields = z.strictObject({
  attributes: optional(boundedArray(attribute)),
  carrierSettings: optional(carrierSettings),
  currentIdCardCode: optional(z.string()),
  deactivatedAtTime: optional(z.iso.datetime({ offset: true, message: 'Must be an RFC 3339 date-time, e.g. 2019-05-18T20:27:35Z' })),
  driverActivationStatus: optional(z.enum(['active', 'deactivated'])),
  eldAdverseWeatherExemptionEnabled: optional(z.boolean()),
  eldBigDayExemptionEnabled: optional(z.boolean()),
  eldDayStartHour: optional(z.union([z.literal(0), z.literal(12)], { message: 'Must be 0 (midnight-to-midnight) or 12 (noon-to-noon)' })),
  eldExempt: optional(z.boolean()),
  eldExemptReason: optional(z.string()),
  eldPcEnabled: optional(z.boolean()),
  eldYmEnabled: optional(z.boolean()),
  externalIds: optional(boundedRecord(nonEmpty(), nonEmpty())),
  hasDrivingFeaturesHidden: optional(z.boolean()),
  hasVehicleUnpinningEnabled: optional(z.boolean()),
  hosSetting: optional(z.strictObject({ heavyHaulExemptionToggleEnabled: optional(z.boolean()) })),
  licenseNumber: optional(text(1, 255)),
  licenseState: optional(z.enum(LICENSE_STATES, { message: 'Must be a US state, Canadian province or US territory abbreviation' })),
  locale: optional(z.enum(SAMSARA_LOCALES)),
  name: optional(text(1, 255)),
  notes: optional(maxText(4096)),
  password: optional(nonEmpty()),
  peerGroupTagId: optional(z.string()),
  phone: optional(maxText(255)),
  profileImageBase64: optional(base64),
  profileImageUrl: optional(z.url({ protocol: /^https?$/, message: 'Must be an http(s) URL' }).check(z.maxLength(1024))),
  staticAssignedVehicleId: optional(z.string()),
  tachographCardNumber: optional(z.string()),
  tagIds: optional(boundedArray(nonEmpty())),
  timezone: optional(ianaTimeZone()),
  trailerGroupTagId: optional(z.string()),
  // Explicit null deletes the driver's override; an object must carry all four members.
  usDriverRulesetOverride: optional(z.nullable(usDriverRulesetOverride)),
  username: optional(text(1, 189).check(z.regex(/^[^\s@]+$/, 'May not contain spaces or the @ symbol'))),
  vehicleGroupTagId: optional(z.string()),
  waitingTimeDutyStatusEnabled: optional(z.boolean()),
});

/** The request body with Samsara's cross-field activation rules; `now` is read at validation time. */
export const updateDriverRequest = updateDriverFields.check(
  z.superRefine((body, ctx) => {
    if (Object.keys(body).length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Set at least one field to update' });
    }
    if (body.deactivatedAtTime === undefined) return;
    if (body.driverActivationStatus !== 'deactivated') {
      ctx.addIssue({
        code: 'custom',
        path: ['deactivatedAtTime'],
        message: body.driverActivationStatus === 'active'
          ? 'Cannot be sent with driverActivationStatus "active"'
          : 'Only allowed with driverActivationStatus "deactivated"',
      });
    }
    if (!withinDeactivationAge(body.deactivatedAtTime)) {
      ctx.addIssue({ code: 'custom', path: ['deactivatedAtTime'], message: `Cannot be more than ${MAX_DEACTIVATION_AGE_MONTHS} months in the past` });
    }
  }),
);
export type UpdateDriverRequest = z.output<typeof updateDriverRequest>;

/**
 * `{id}`: a Samsara id, or an external id `key:value` (e.g. `payrollId:ABFS18600`); the adapters
 * have already decoded it once, so `payrollId%3AABFS18600` and `payrollId:ABFS18600` are the same.
 */
export const driverId = pathSegmentId(512).check(
  z.refine((id) => !id.includes(':') || /^[^:]+:.+$/.test(id), 'An external id must be key:value with both parts non-empty'),
);

export const driverParams = z.strictObject({ id: driverId });

/** Only what the gateway relies on; the rest of Samsara's Driver passes through untouched. */
export const driverResponse = z.looseObject({
  data: z.looseObject({ id: z.string() }),
});
