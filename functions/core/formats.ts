/** Value formats shared by vendor schemas and the canonical driver. */
import * as z from 'zod/mini';

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
