import { defineOperation } from '../../core/operation';
import { detachDriver } from './client';
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
});
