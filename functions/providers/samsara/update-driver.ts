import * as z from 'zod/mini';
import { confirmationOf, confirmMassChangeField, deactivationRecord, guardedDeactivation } from '../../core/mass-change-guard';
import { defineOperation } from '../../core/operation';
import { vendorDryRun } from '../../core/dry-run';
import { updateDriver, updateDriverRequestFor } from './client';
import { samsara } from './vendor';
import { driverParams, driverResponse, updateDriverRequest } from './schema';

export const samsaraUpdateDriver = defineOperation({
  name: 'samsara.updateDriver',
  summary: 'Update a Samsara driver (PATCH /fleet/drivers/{id}); id may be an external id key:value',
  method: 'PATCH',
  path: '/v1/providers/samsara/drivers/{id}',
  vendors: ['samsara'],
  params: driverParams,
  body: updateDriverRequest,
  response: driverResponse,
  // A held deactivation is confirmed with the header (HTTP) or this event field.
  eventFields: z.strictObject({ confirmMassChange: confirmMassChangeField }),
  run: async ({ params, body, event }, ctx) => {
    // Deactivating passes the mass-change guard; any other change does not touch it.
    const record = body.driverActivationStatus === 'deactivated' ? deactivationRecord('samsara', params.id) : undefined;
    const confirmation = confirmationOf(ctx.headers, event?.confirmMassChange);
    const driver = await guardedDeactivation(record, confirmation, ctx.log, () => updateDriver(params.id, body, ctx));
    // Samsara's driver record holds licence, phone and more: events say only which driver.
    return { status: 200, body: driver, summary: { id: driver.data.id } };
  },
  dryRun: async ({ params, body }, ctx) => vendorDryRun(ctx, samsara, updateDriverRequestFor(params.id, body)),
});
