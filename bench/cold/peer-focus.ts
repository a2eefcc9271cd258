import { z } from 'zod';
import { updateDriverRequest } from '../../functions/providers/focus/schema';
import { peer } from './peer';

export const handler = peer({
  vendor: 'focus',
  params: z.object({}),
  body: updateDriverRequest,
  request: (_params, body, secret) => ({
    method: 'POST',
    path: '/api/v2/dof/update_driver',
    headers: { authorization: `Basic ${Buffer.from(`${secret.username}:${secret.password}`).toString('base64')}` },
    body: { fleet_token: secret.fleetToken, ...body },
  }),
});
