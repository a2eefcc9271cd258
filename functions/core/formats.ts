/** Value formats shared by vendor schemas and the canonical driver. */
import * as z from 'zod/mini';
import { isWellFormed } from './input-shape';
import { isDotSegment } from './vendor-path';

const isCalendarDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
};

/** `yyyy-MM-dd` that names a real day (no 2023-02-30). */
export const calendarDate = () => z.string().check(z.refine(isCalendarDate, 'Must be a calendar date yyyy-MM-dd'));

const isIanaTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    // Intl also accepts offsets and abbreviations; IANA keys are Area/Location (or UTC).
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
};

export const ianaTimeZone = () => z.string().check(z.refine(isIanaTimeZone, 'Must be an IANA time zone such as America/Los_Angeles'));

/** A string of `min`..`max` characters. */
export const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));

const CONTROL = /[\u0000-\u001F\u007F]/;

/**
 * A credential sent verbatim in a header (`Bearer <token>`, an API key header): printable ASCII
 * without spaces. A control character (often a newline pasted with the value) would make the
 * HTTP client throw with the whole header in its message; it is refused when the secret is read.
 */
export const headerCredential = () =>
  z.string().check(z.minLength(8, 'Must be at least 8 characters'), z.regex(/^[\x21-\x7E]+$/, 'Must be printable ASCII without spaces or control characters (a pasted newline?)'));

/**
 * A credential that is encoded before it travels (Basic auth, a body field): anything but control
 * characters. `minLength` 8 for secrets proper, so every one is long enough to be scrubbed by value.
 */
export const encodedCredential = (minLength = 8) =>
  z.string().check(
    z.minLength(minLength, `Must be at least ${minLength} characters`),
    z.refine((value) => !CONTROL.test(value), 'Must not contain control characters (a pasted newline?)'),
  );

/**
 * An id that travels as one segment of a vendor URL (vendor-path.ts): no "/", not "." or "..",
 * no control characters. Everything else is percent-encoded on the way out.
 */
export const pathSegmentId = (max: number) =>
  text(1, max).check(
    z.refine((id) => !id.includes('/'), 'Must not contain "/"'),
    z.refine((id) => !isDotSegment(id), 'Must not be "." or ".." (a URL would collapse it)'),
    z.refine((id) => !CONTROL.test(id), 'Must not contain control characters'),
    z.refine(isWellFormed, 'Must be well-formed Unicode'),
  );

/**
 * Bounds for lists and maps in request bodies. Vendors publish none, but an unbounded list is a
 * denial of service (issue 10): these are far above any real driver record.
 */
const MAX_LIST_ITEMS = 100;

export const boundedArray = <T extends z.ZodMiniType>(item: T, max = MAX_LIST_ITEMS) => z.array(item).check(z.maxLength(max));

export const boundedRecord = <K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(key: K, value: V, max = MAX_LIST_ITEMS) =>
  z.record(key, value).check(z.refine((record) => Object.keys(record).length <= max, `Too many entries: at most ${max}`));
