/**
 * Canonical driver fields → each vendor's own fields. Whatever a vendor cannot take is returned
 * in `skipped`, so the caller is told, never left to guess.
 */
import type { FocusDriverFields } from '../providers/focus/schema';
import { LICENSE_STATES, type UpdateDriverRequest } from '../providers/samsara/schema';
import type { CanonicalDriverUpdate, CanonicalField } from './model';

export interface Mapped<T> {
  fields: T;
  skipped: CanonicalField[];
}

const given = (update: CanonicalDriverUpdate): CanonicalField[] =>
  (Object.keys(update) as CanonicalField[]).filter((field) => update[field] !== undefined);

const NAME_PARTS = ['firstName', 'middleName', 'lastName'] as const;

/**
 * Samsara keeps one `name`, so it can only be written when the whole name is known: firstName and
 * lastName together (middleName if given). It has one phone, no email, birth date or address, and
 * cannot clear name, licence or timezone.
 */
export const toSamsara = (update: CanonicalDriverUpdate): Mapped<UpdateDriverRequest> => {
  const fields: UpdateDriverRequest = {};
  const taken = new Set<CanonicalField>();
  if (typeof update.firstName === 'string' && typeof update.lastName === 'string') {
    fields.name = [update.firstName, update.middleName, update.lastName].filter((part) => typeof part === 'string').join(' ');
    NAME_PARTS.forEach((part) => taken.add(part));
  }
  if (update.phone !== undefined) {
    fields.phone = update.phone ?? '';
    taken.add('phone');
  }
  if (typeof update.licenseNumber === 'string') {
    fields.licenseNumber = update.licenseNumber;
    taken.add('licenseNumber');
  }
  const state = update.licenseState?.toUpperCase();
  if (state && (LICENSE_STATES as readonly string[]).includes(state)) {
    fields.licenseState = state as UpdateDriverRequest['licenseState'];
    taken.add('licenseState');
  }
  if (typeof update.timezone === 'string') {
    fields.timezone = update.timezone;
    taken.add('timezone');
  }
  return { fields, skipped: given(update).filter((field) => !taken.has(field)) };
};

type FocusScalar = Exclude<keyof FocusDriverFields, 'custom_fields'>;

const FOCUS_NAMES: Partial<Record<CanonicalField, FocusScalar>> = {
  firstName: 'first_name',
  middleName: 'middle_name',
  lastName: 'last_name',
  dateOfBirth: 'dob',
  email: 'email',
  phone: 'phone_number',
  mobilePhone: 'cell_number',
  licenseNumber: 'license',
  licenseState: 'license_state',
};

const FOCUS_ADDRESS: Record<string, FocusScalar> = { line1: 'address', line2: 'address2', city: 'city', state: 'state', postalCode: 'zip' };

/** Focus takes everything but the timezone; `null` stays `null` and becomes the blank that clears. */
export const toFocus = (update: CanonicalDriverUpdate): Mapped<FocusDriverFields> => {
  const fields: Record<string, string | null> = {};
  const skipped: CanonicalField[] = [];
  for (const field of given(update)) {
    const target = FOCUS_NAMES[field];
    if (target) fields[target] = update[field] as string | null;
    else if (field === 'address') {
      const address = update.address;
      for (const [part, target] of Object.entries(FOCUS_ADDRESS)) {
        const value = address === null ? null : address?.[part as keyof typeof address];
        if (value !== undefined) fields[target] = value;
      }
    } else skipped.push(field);
  }
  return { fields: fields as FocusDriverFields, skipped };
};
