import * as z from 'zod/mini';
import { confirmationOf, confirmMassChangeField, deactivationRecord, guardedDeactivation } from '../../core/mass-change-guard';
import { defineOperation } from '../../core/operation';
import { vendorDryRun } from '../../core/dry-run';
import { setDriverStatus, setDriverStatusRequestFor } from './client';
import { drivequant } from './vendor';
import { setStatusRequest, setStatusResponse, statusParams } from './schema';

export const drivequantSetDriverStatus = defineOperation({
  name: 'drivequant.setDriverStatus',
  summary: 'Enable or disable a DriveQuant DriveKit driver (PUT /v3/drivekit/admin/drivers/{userId}/status)',
  method: 'PUT',
  path: '/v1/providers/drivequant/drivers/{userId}/status',
  vendors: ['drivequant'],
  params: statusParams,
  body: setStatusRequest,
  response: setStatusResponse,
  // A held DISABLE is confirmed with the header (HTTP) or this event field.
  eventFields: z.strictObject({ confirmMassChange: confirmMassChangeField }),
  run: async ({ params, body, event }, ctx) => {
    const record = body.status === 'DISABLE' ? deactivationRecord('drivequant', params.userId) : undefined;
    const confirmation = confirmationOf(ctx.headers, event?.confirmMassChange);
    const answer = await guardedDeactivation(record, confirmation, ctx.log, () => setDriverStatus(params.userId, body, ctx));
    return { status: 200, body: answer, summary: { userId: params.userId, status: answer.status } };
  },
  dryRun: async ({ params, body }, ctx) => vendorDryRun(ctx, drivequant, setDriverStatusRequestFor(params.userId, body)),
});
