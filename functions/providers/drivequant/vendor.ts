/** DriveQuant DriveKit Admin: plain admin key header; errors are JSON or plain text depending on the page. */
import * as z from 'zod/mini';
import { headerCredential } from '../../core/formats';
import type { VendorSpec } from '../../core/vendor';
import { stringMember } from '../../core/vendor-errors';

export const drivequantSecret = z.object({ adminApiKey: headerCredential() });
export type DrivequantSecret = z.output<typeof drivequantSecret>;

export const drivequant: VendorSpec<DrivequantSecret> = {
  name: 'drivequant',
  secretSchema: drivequantSecret,
  productionUrl: 'https://service.drivequant.com',
  authHeaders: (secret) => ({ 'drivekit-admin-api-key': secret.adminApiKey }),
  // The error body format is unconfirmed: a JSON message if there is one, else the JSON re-serialised
  // (one spelling the scrubber knows, whatever escaping the vendor used), else the text.
  describeError: (response) => ({
    message:
      stringMember(response.json, 'message') ??
      stringMember(response.json, 'error') ??
      (response.json !== undefined ? JSON.stringify(response.json) : response.text.trim() || undefined),
  }),
};
