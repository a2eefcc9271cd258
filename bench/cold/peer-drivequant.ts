import { setStatusRequest, statusParams } from '../../functions/providers/drivequant/schema';
import { peer } from './peer';

export const handler = peer({
  vendor: 'drivequant',
  params: statusParams,
  body: setStatusRequest,
  request: (params, body, secret) => ({
    method: 'PUT',
    path: `/v3/drivekit/admin/drivers/${encodeURIComponent(params.userId)}/status`,
    headers: { 'drivekit-admin-api-key': secret.adminApiKey! },
    body,
  }),
});
