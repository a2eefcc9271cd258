/**
 * Focus Solutions CBA (Driver Only Fleet API): HTTP Basic auth plus a per-fleet `fleet_token` in
 * the body, `{success, error_code, error_message}` answers. There is no public base URL: each
 * customer has its own `https://{site}.focussi.com`, so FOCUS_BASE_URL is required in live mode.
 */
import * as z from 'zod/mini';
import { encodedCredential } from '../../core/formats';
import type { ProblemType } from '../../core/problem';
import type { VendorSpec } from '../../core/vendor';
import { stringMember } from '../../core/vendor-errors';

export const focusSecret = z.object({
  // RFC 7617: the user-id of Basic credentials cannot contain a colon.
  // A user name is not a secret by itself (the Basic header, which joins it to the password, is).
  username: encodedCredential(1).check(z.refine((value) => !value.includes(':'), 'Must not contain ":" (Basic auth)')),
  password: encodedCredential(),
  fleetToken: encodedCredential(),
});
export type FocusSecret = z.output<typeof focusSecret>;

/** Focus error codes → problem types; codes not listed fall back to the HTTP status mapping. */
export const FOCUS_ERROR_TYPES: Record<string, ProblemType> = {
  NoDriver: 'vendor-not-found',
  MultipleDriversFound: 'vendor-conflict',
  DriverExists: 'vendor-conflict',
  CoverageOverlapping: 'vendor-conflict',
  InvalidInput: 'vendor-rejected',
};

export const focus: VendorSpec<FocusSecret> = {
  name: 'focus',
  secretSchema: focusSecret,
  authHeaders: (secret) => ({ authorization: `Basic ${Buffer.from(`${secret.username}:${secret.password}`).toString('base64')}` }),
  signBody: (body, secret) => ({ fleet_token: secret.fleetToken, ...(body as object) }),
  describeError: (response) => ({
    code: stringMember(response.json, 'error_code'),
    message: stringMember(response.json, 'error_message'),
  }),
  classifyError: (response, refusal) =>
    response.status === 401 || response.status === 403 || response.status >= 500 ? undefined : FOCUS_ERROR_TYPES[refusal.code ?? ''],
};
