import * as z from 'zod/mini';
import { confirmationOf, confirmMassChangeField as confirmMassChange } from '../core/mass-change-guard';
import { defineOperation } from '../core/operation';
import { VENDORS } from '../core/problem';
import { MAX_DEACTIVATION_AGE_MONTHS, withinDeactivationAge } from '../providers/samsara/schema';
import { canonicalDriverUpdate, driverIdParam } from './model';
import { planOffboard, planStatus, planUpdate } from './plans';
import { DRIVER_OUTCOME_DETAIL_TYPES, dryRunFanOut, runFanOut } from './run-fan-out';

const vendorResult = z.object({
  outcome: z.enum(['succeeded', 'failed', 'uncertain', 'skipped']),
  status: z.optional(z.int()),
  error: z.optional(z.record(z.string(), z.unknown())),
  skipped: z.optional(z.array(z.string())),
  reason: z.optional(z.string()),
  alreadyDone: z.optional(z.int()),
  retriable: z.optional(z.boolean()),
  idempotencyKey: z.optional(z.string()),
});
const fanOutResponse = z.object({ driverId: z.string(), results: z.partialRecord(z.enum(VENDORS), vendorResult) });

/** When the change takes effect; Samsara refuses deactivation times older than six months. */
const effectiveAt = z.iso
  .datetime({ offset: true, message: 'Must be an RFC 3339 date-time, e.g. 2026-05-18T20:27:35Z' })
  .check(z.refine((value) => withinDeactivationAge(value), `Cannot be more than ${MAX_DEACTIVATION_AGE_MONTHS} months in the past`));

export const driversUpdate = defineOperation({
  name: 'drivers.update',
  summary: 'Update canonical driver fields in every linked vendor that supports them',
  method: 'PATCH',
  path: '/v1/drivers/{driverId}',
  // DriveQuant and ChargeAPI take none of the canonical fields yet: their results say "skipped".
  vendors: ['samsara', 'focus'],
  params: driverIdParam,
  body: canonicalDriverUpdate,
  response: fanOutResponse,
  outcomeDetailTypes: DRIVER_OUTCOME_DETAIL_TYPES,
  run: ({ params, body }, ctx) => runFanOut(params.driverId, ctx, (links) => planUpdate(links, body)),
  dryRun: ({ params, body }, ctx) => dryRunFanOut(params.driverId, ctx, (links) => planUpdate(links, body)),
});

const statusRequest = z
  .strictObject({ status: z.enum(['active', 'inactive']), effectiveAt: z.optional(effectiveAt), confirmMassChange })
  .check(
    z.refine((value) => value.status === 'inactive' || value.effectiveAt === undefined, {
      path: ['effectiveAt'],
      message: 'Only allowed with status "inactive"',
    }),
  );

export const driversSetStatus = defineOperation({
  name: 'drivers.setStatus',
  summary: 'Activate or deactivate a driver everywhere (Samsara activation, DriveQuant ENABLE/DISABLE)',
  method: 'PUT',
  path: '/v1/drivers/{driverId}/status',
  vendors: ['samsara', 'drivequant'],
  params: driverIdParam,
  body: statusRequest,
  response: fanOutResponse,
  outcomeDetailTypes: DRIVER_OUTCOME_DETAIL_TYPES,
  // A held deactivation is confirmed with the token of its 428: header, or the body/event field.
  run: ({ params, body }, ctx) => runFanOut(params.driverId, ctx, (links) => planStatus(links, body), confirmationOf(ctx.headers, body.confirmMassChange)),
  dryRun: ({ params, body }, ctx) => dryRunFanOut(params.driverId, ctx, (links) => planStatus(links, body)),
});

export const driversOffboard = defineOperation({
  name: 'drivers.offboard',
  summary: 'Deactivate a driver everywhere and detach it from every ChargeAPI fleet (safe to repeat)',
  method: 'POST',
  path: '/v1/drivers/{driverId}/offboard',
  vendors: ['samsara', 'drivequant', 'chargeapi'],
  params: driverIdParam,
  body: z.strictObject({ effectiveAt: z.optional(effectiveAt), confirmMassChange }),
  response: fanOutResponse,
  outcomeDetailTypes: DRIVER_OUTCOME_DETAIL_TYPES,
  run: ({ params, body }, ctx) =>
    runFanOut(params.driverId, ctx, (links) => planOffboard(links, body.effectiveAt, ctx.requestKey), confirmationOf(ctx.headers, body.confirmMassChange)),
  dryRun: ({ params, body }, ctx) => dryRunFanOut(params.driverId, ctx, (links) => planOffboard(links, body.effectiveAt, ctx.requestKey)),
});
