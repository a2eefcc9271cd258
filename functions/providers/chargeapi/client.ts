import { deriveIdempotencyKey } from '../../core/idempotency-key';
import { vendorPath } from '../../core/vendor-path';
import type { VendorRequest } from '../../core/vendor';
import { callVendor, expectBody, type OutboundContext } from '../../core/vendor-call';
import { chargeDriver, type DetachRequest } from './schema';
import { chargeapi, chargeVersionHeader } from './vendor';

/** `requestKey` names the logical request; the derived Idempotency-Key makes every retry of it safe. */
export const detachDriverRequestFor = (driver: string, body: DetachRequest, requestKey: string): VendorRequest => ({
  method: 'POST',
  path: vendorPath`/v1/drivers/${driver}/detach`,
  body,
  headers: { ...chargeVersionHeader(), 'idempotency-key': deriveIdempotencyKey('chargeapi.detach', requestKey, driver, body.fleet) },
  retrySafe: true,
});

export const detachDriver = async (driver: string, body: DetachRequest, requestKey: string, ctx: OutboundContext) =>
  expectBody('chargeapi', await callVendor(chargeapi, detachDriverRequestFor(driver, body, requestKey), ctx), chargeDriver);
