/** Samsara as the core sees it: secret shape, base URL, bearer auth, `{message, requestId}` errors. */
import * as z from 'zod/mini';
import { headerCredential } from '../../core/formats';
import type { VendorSpec } from '../../core/vendor';
import { stringMember } from '../../core/vendor-errors';

export const samsaraSecret = z.object({ apiToken: headerCredential() });
export type SamsaraSecret = z.output<typeof samsaraSecret>;

/** Pinned so a change of the token's default API version cannot change behaviour under us. */
export const SAMSARA_API_VERSION = process.env.SAMSARA_API_VERSION || '2025-10-23';

export const samsara: VendorSpec<SamsaraSecret> = {
  name: 'samsara',
  secretSchema: samsaraSecret,
  productionUrl: 'https://api.samsara.com',
  authHeaders: (secret) => ({ authorization: `Bearer ${secret.apiToken}` }),
  describeError: (response) => ({
    message: stringMember(response.json, 'message'),
    requestId: stringMember(response.json, 'requestId') ?? response.headers.get('x-request-id') ?? undefined,
  }),
};
