import * as z from 'zod/mini';
import { confirmationOf, confirmMassChangeField, deactivationRecord, guardedDeactivation } from '../../core/mass-change-guard';
import { defineOperation } from '../../core/operation';
import { vendorDryRun } from '../../core/dry-run';
import { detachDriver, detachDriverRequestFor } from './client';
import { chargeapi } from './vendor';
import { chargeDriver, detachParams, detachRequest } from './schema';

export const chargeapiDetachDriver = defineOperation({
  name: 'chargeapi.detachDriver',
  summary: 'Detach a ChargeAPI driver from a fleet (POST /v1/drivers/{driver}/detach), with an Idempotency-Key',
  method: 'POST',
  path: '/v1/providers/chargeapi/drivers/{driver}/detach',
  vendors: ['chargeapi'],
  params: detachParams,
  body: detachRequest,
  response: chargeDriver,
  // A held detach is confirmed with the header (HTTP) or this event field.
  eventFields: z.strictObject({ confirmMassChange: confirmMassChangeField }),
  run: async ({ params, body, event }, ctx) => {
    // Every detach passes the mass-change guard; the fleets of one driver count once.
    const confirmation = confirmationOf(ctx.headers, event?.confirmMassChange);
    const driver = await guardedDeactivation(deactivationRecord('chargeapi', params.driver), confirmation, ctx.log, () =>
      detachDriver(params.driver, body, ctx.requestKey, ctx),
    );
    return { status: 200, body: driver, summary: { driver: driver.id, fleets: driver.fleets } };
  },
  dryRun: async ({ params, body }, ctx) => vendorDryRun(ctx, chargeapi, detachDriverRequestFor(params.driver, body, ctx.requestKey)),
});
