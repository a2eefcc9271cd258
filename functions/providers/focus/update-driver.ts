import * as z from 'zod/mini';
import { defineOperation } from '../../core/operation';
import { vendorDryRun } from '../../core/dry-run';
import { updateDriver, updateDriverRequestFor } from './client';
import { focus } from './vendor';
import { focusAnswer, updateDriverRequest } from './schema';

export const focusUpdateDriver = defineOperation({
  name: 'focus.updateDriver',
  summary: 'Update a Focus CBA driver (POST /api/v2/dof/update_driver); fleet_token is added by the gateway',
  method: 'POST',
  path: '/v1/providers/focus/drivers/update',
  vendors: ['focus'],
  params: z.strictObject({}),
  body: updateDriverRequest,
  response: focusAnswer,
  run: async ({ body }, ctx) => {
    const answer = await updateDriver(body, ctx);
    return { status: 200, body: answer, summary: { success: answer.success } };
  },
  dryRun: async ({ body }, ctx) => vendorDryRun(ctx, focus, updateDriverRequestFor(body)),
});
