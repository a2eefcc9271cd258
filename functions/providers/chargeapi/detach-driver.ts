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
  run: async ({ params, body }, ctx) => {
    const driver = await detachDriver(params.driver, body, ctx.requestKey, ctx);
    return { status: 200, body: driver, summary: { driver: driver.id, fleets: driver.fleets } };
  },
  dryRun: async ({ params, body }, ctx) => vendorDryRun(chargeapi, detachDriverRequestFor(params.driver, body, ctx.requestKey)),
});
