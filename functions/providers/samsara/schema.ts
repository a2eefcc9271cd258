/**
 * Samsara `UpdateDriverRequest` (OpenAPI 2025-10-23) with every constraint the document states,
 * in its descriptions as well as its keywords. A test checks this schema against the OpenAPI
 * document so the two cannot drift apart silently.
 */
import * as z from 'zod';
import { calendarDate, ianaTimeZone } from '../../core/formats';

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

const monthsAgo = (months: number, from: Date): Date => {
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};

export const carrierSettings = z.strictObject({
  carrierName: z.string().max(255).optional(),
  dotNumber: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  homeTerminalAddress: z.string().max(255).optional(),
  homeTerminalName: z.string().max(255).optional(),
  mainOfficeAddress: z.string().max(255).optional(),
});

export const usDriverRulesetOverride = z.strictObject({
  cycle: z.enum(US_CYCLES),
  restart: z.enum(US_RESTARTS),
  restbreak: z.enum(US_RESTBREAKS),
  usStateToOverride: z.enum(US_STATES_TO_OVERRIDE),
});

export const attribute = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  stringValues: z.array(z.string()).optional(),
  numberValues: z.array(z.number()).optional(),
  dateValues: z.array(calendarDate()).optional(),
});

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Must be base64-encoded image data');

export const updateDriverFields = z.strictObject({
  attributes: z.array(attribute).optional(),
  carrierSettings: carrierSettings.optional(),
  currentIdCardCode: z.string().optional(),
  deactivatedAtTime: z.iso.datetime({ offset: true, message: 'Must be an RFC 3339 date-time, e.g. 2019-05-18T20:27:35Z' }).optional(),
  driverActivationStatus: z.enum(['active', 'deactivated']).optional(),
  eldAdverseWeatherExemptionEnabled: z.boolean().optional(),
  eldBigDayExemptionEnabled: z.boolean().optional(),
  eldDayStartHour: z.union([z.literal(0), z.literal(12)], { message: 'Must be 0 (midnight-to-midnight) or 12 (noon-to-noon)' }).optional(),
  eldExempt: z.boolean().optional(),
  eldExemptReason: z.string().optional(),
  eldPcEnabled: z.boolean().optional(),
  eldYmEnabled: z.boolean().optional(),
  externalIds: z.record(z.string().min(1), z.string().min(1)).optional(),
  hasDrivingFeaturesHidden: z.boolean().optional(),
  hasVehicleUnpinningEnabled: z.boolean().optional(),
  hosSetting: z.strictObject({ heavyHaulExemptionToggleEnabled: z.boolean().optional() }).optional(),
  licenseNumber: z.string().min(1).max(255).optional(),
  licenseState: z.enum(LICENSE_STATES, { message: 'Must be a US state, Canadian province or US territory abbreviation' }).optional(),
  locale: z.enum(SAMSARA_LOCALES).optional(),
  name: z.string().min(1).max(255).optional(),
  notes: z.string().max(4096).optional(),
  password: z.string().min(1).optional(),
  peerGroupTagId: z.string().optional(),
  phone: z.string().max(255).optional(),
  profileImageBase64: base64.optional(),
  profileImageUrl: z.url({ protocol: /^https?$/, message: 'Must be an http(s) URL' }).max(1024).optional(),
  staticAssignedVehicleId: z.string().optional(),
  tachographCardNumber: z.string().optional(),
  tagIds: z.array(z.string().min(1)).optional(),
  timezone: ianaTimeZone().optional(),
  trailerGroupTagId: z.string().optional(),
  // Explicit null deletes the driver's override; an object must carry all four members.
  usDriverRulesetOverride: usDriverRulesetOverride.nullable().optional(),
  username: z.string().min(1).max(189).regex(/^[^\s@]+$/, 'May not contain spaces or the @ symbol').optional(),
  vehicleGroupTagId: z.string().optional(),
  waitingTimeDutyStatusEnabled: z.boolean().optional(),
});

/** The request body with Samsara's cross-field activation rules; `now` is read at validation time. */
export const updateDriverRequest = updateDriverFields.superRefine((body, ctx) => {
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
  const at = new Date(body.deactivatedAtTime);
  if (at < monthsAgo(MAX_DEACTIVATION_AGE_MONTHS, new Date())) {
    ctx.addIssue({ code: 'custom', path: ['deactivatedAtTime'], message: `Cannot be more than ${MAX_DEACTIVATION_AGE_MONTHS} months in the past` });
  }
});
export type UpdateDriverRequest = z.output<typeof updateDriverRequest>;

/**
 * `{id}`: a Samsara id, or an external id `key:value` (e.g. `payrollId:ABFS18600`); the adapters
 * have already decoded it once, so `payrollId%3AABFS18600` and `payrollId:ABFS18600` are the same.
 */
export const driverId = z
  .string()
  .min(1)
  .max(512)
  .refine((id) => !id.includes('/'), 'Must not contain "/"')
  .refine((id) => !id.includes(':') || /^[^:]+:.+$/.test(id), 'An external id must be key:value with both parts non-empty');

export const driverParams = z.strictObject({ id: driverId });

/** Only what the gateway relies on; the rest of Samsara's Driver passes through untouched. */
export const driverResponse = z.looseObject({
  data: z.looseObject({ id: z.string() }),
});
