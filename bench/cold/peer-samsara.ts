import { driverParams, updateDriverRequest } from '../../functions/providers/samsara/schema';
import { peer } from './peer';

export const handler = peer({
  vendor: 'samsara',
  params: driverParams,
  body: updateDriverRequest,
  request: (params, body, secret) => ({
    method: 'PATCH',
    path: `/fleet/drivers/${encodeURIComponent(params.id)}`,
    headers: { authorization: `Bearer ${secret.apiToken}`, 'x-samsara-version': '2025-10-23' },
    body,
  }),
});
