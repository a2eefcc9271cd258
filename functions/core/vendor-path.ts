/**
 * Request values only ever fill whole path segments of a vendor URL. `vendorPath` percent-encodes
 * each one and refuses those that cannot be one exact segment: "." and ".." (the URL parser
 * collapses them, even written %2E), the empty string, and lone surrogates (which cannot be
 * encoded). `assertTarget` then checks, before anything is sent, that the final URL is exactly
 * the one built: no input can change the host, the path or the query a vendor receives.
 */
import { isWellFormed } from './input-shape';
import { Problem } from './problem';

/** "." and "..": a URL parser removes them (and "%2E", ".%2e"…) instead of sending them. */
export const isDotSegment = (value: string): boolean => /^\.{1,2}$/.test(value);

/** True when `value` can travel as exactly one path segment. */
const isPathSegment = (value: string): boolean => value !== '' && !isDotSegment(value) && isWellFormed(value);

const segment = (value: string): string => {
  if (!isPathSegment(value)) {
    throw new Problem('validation-error', 'An id that is empty, "." or "..", or not well-formed Unicode cannot be sent to a vendor.', {
      errors: [{ path: 'id', message: 'Cannot be a vendor path segment' }],
    });
  }
  return encodeURIComponent(value);
};

/** A tagged template: vendorPath`/fleet/drivers/${id}` → `/fleet/drivers/<encoded id>`. */
export const vendorPath = (parts: TemplateStringsArray, ...values: string[]): string =>
  parts.reduce((path, part, i) => `${path}${part}${i < values.length ? segment(values[i]!) : ''}`, '');

/** Throws unless `url` is exactly `baseUrl` + `path` once parsed the way `fetch` parses it. */
export const assertTarget = (url: string, baseUrl: string, path: string): void => {
  const target = new URL(url);
  const base = new URL(baseUrl);
  const intended = `${base.pathname.replace(/\/$/, '')}${path}`;
  if (target.origin !== base.origin || `${target.pathname}${target.search}` !== intended || target.hash !== '' || url.includes('#')) {
    throw new Problem('validation-error', 'The request would not reach the vendor path the operation built; nothing was sent.', {
      errors: [{ path: 'id', message: 'Changes the vendor request path' }],
    });
  }
};
