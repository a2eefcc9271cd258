import { detachParams, detachRequest } from '../../functions/providers/chargeapi/schema';
import { peer } from './peer';

export const handler = peer({
  vendor: 'chargeapi',
  params: detachParams,
  body: detachRequest,
  request: (params, body, secret) => ({
    method: 'POST',
    path: `/v1/drivers/${encodeURIComponent(params.driver)}/detach`,
    headers: { authorization: `Bearer ${secret.secretKey}`, 'idempotency-key': crypto.randomUUID() },
    body,
  }),
});
