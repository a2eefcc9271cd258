/** Samsara driver calls. Building the request is separate from sending it, so dry runs can show it. */
import { vendorPath } from '../../core/vendor-path';
import type { VendorRequest } from '../../core/vendor';
import { callVendor, expectBody, type OutboundContext } from '../../core/vendor-call';
import { driverResponse, type UpdateDriverRequest } from './schema';
import { SAMSARA_API_VERSION, samsara } from './vendor';

export const updateDriverRequestFor = (id: string, body: UpdateDriverRequest): VendorRequest => ({
  method: 'PATCH',
  path: vendorPath`/fleet/drivers/${id}`,
  body,
  headers: { 'x-samsara-version': SAMSARA_API_VERSION },
  // A PATCH of the same fields is naturally idempotent: repeating it cannot apply anything twice.
  retrySafe: true,
});

export const updateDriver = async (id: string, body: UpdateDriverRequest, ctx: OutboundContext) =>
  expectBody('samsara', await callVendor(samsara, updateDriverRequestFor(id, body), ctx), driverResponse);
