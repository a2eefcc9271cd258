/** ChargeAPI: bearer secret key, Stripe-like error objects, optional pinned API version. */
import * as z from 'zod/mini';
import { headerCredential } from '../../core/formats';
import type { VendorSpec } from '../../core/vendor';
import { stringMember } from '../../core/vendor-errors';

export const chargeapiSecret = z.object({ secretKey: headerCredential() });
export type ChargeapiSecret = z.output<typeof chargeapiSecret>;

export const chargeapi: VendorSpec<ChargeapiSecret> = {
  name: 'chargeapi',
  secretSchema: chargeapiSecret,
  productionUrl: 'https://api.chargeapi.co',
  authHeaders: (secret) => ({ authorization: `Bearer ${secret.secretKey}` }),
  describeError: (response) => ({
    code: stringMember(response.json, 'code'),
    message: stringMember(response.json, 'message'),
    requestId: stringMember(response.json, 'request'),
  }),
};

/** `Charge-Version` overrides the account's default API version when set. */
export const chargeVersionHeader = (): Record<string, string> =>
  process.env.CHARGEAPI_VERSION ? { 'charge-version': process.env.CHARGEAPI_VERSION } : {};
