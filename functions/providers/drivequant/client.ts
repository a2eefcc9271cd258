import { vendorPath } from '../../core/vendor-path';
import type { VendorRequest } from '../../core/vendor';
import { callVendor, expectBody, type OutboundContext } from '../../core/vendor-call';
import { setStatusResponse, type SetStatusRequest } from './schema';
import { drivequant } from './vendor';

export const setDriverStatusRequestFor = (userId: string, body: SetStatusRequest): VendorRequest => ({
  method: 'PUT',
  path: vendorPath`/v3/drivekit/admin/drivers/${userId}/status`,
  body,
  // Setting a fixed status is idempotent.
  retrySafe: true,
});

export const setDriverStatus = async (userId: string, body: SetStatusRequest, ctx: OutboundContext) =>
  expectBody('drivequant', await callVendor(drivequant, setDriverStatusRequestFor(userId, body), ctx), setStatusResponse);
