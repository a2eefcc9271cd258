import { describe, expect, it } from 'vitest';
import { toFocus, toSamsara } from '../../functions/drivers/mapping';
import { canonicalDriverUpdate } from '../../functions/drivers/model';

describe('canonical driver → Samsara', () => {
  it('joins first, middle and last name into Samsara name', () => {
    expect(toSamsara({ firstName: 'Susan', middleName: 'B', lastName: 'Jones' })).toEqual({ fields: { name: 'Susan B Jones' }, skipped: [] });
  });

  it('cannot write half a name: a lone firstName is reported as skipped, not dropped', () => {
    expect(toSamsara({ firstName: 'Susan', phone: '555' })).toEqual({ fields: { phone: '555' }, skipped: ['firstName'] });
  });

  it('maps licence, timezone and phone; clears phone with a blank; skips what Samsara lacks', () => {
    const mapped = toSamsara({
      phone: null,
      mobilePhone: '1',
      email: 'a@b.co',
      dateOfBirth: '1980-01-02',
      licenseNumber: 'E1',
      licenseState: 'ca',
      timezone: 'America/New_York',
      address: { city: 'Scranton' },
    });
    expect(mapped.fields).toEqual({ phone: '', licenseNumber: 'E1', licenseState: 'CA', timezone: 'America/New_York' });
    expect(mapped.skipped.sort()).toEqual(['address', 'dateOfBirth', 'email', 'mobilePhone']);
  });

  it('skips a licence state Samsara does not know and fields it cannot clear', () => {
    expect(toSamsara({ licenseState: 'ZZ', licenseNumber: null, timezone: null })).toEqual({
      fields: {},
      skipped: ['licenseState', 'licenseNumber', 'timezone'],
    });
  });
});

describe('canonical driver → Focus', () => {
  it('renames every supported field and keeps null (which the client turns into a clearing blank)', () => {
    const mapped = toFocus({
      firstName: 'Susan',
      middleName: null,
      lastName: 'Jones',
      dateOfBirth: '1980-01-02',
      email: 'susan@example.com',
      phone: '555',
      mobilePhone: '556',
      licenseNumber: 'PA1',
      licenseState: 'PA',
      timezone: 'America/New_York',
    });
    expect(mapped).toEqual({
      fields: {
        first_name: 'Susan',
        middle_name: null,
        last_name: 'Jones',
        dob: '1980-01-02',
        email: 'susan@example.com',
        phone_number: '555',
        cell_number: '556',
        license: 'PA1',
        license_state: 'PA',
      },
      skipped: ['timezone'],
    });
  });

  it('maps address parts, and a null address clears all of them', () => {
    expect(toFocus({ address: { line1: '1 Main St', postalCode: '18503' } }).fields).toEqual({ address: '1 Main St', zip: '18503' });
    expect(toFocus({ address: null }).fields).toEqual({ address: null, address2: null, city: null, state: null, zip: null });
  });

  it('never sends a field the caller did not set', () => {
    expect(Object.keys(toFocus({ email: 'a@b.co' }).fields)).toEqual(['email']);
  });
});

describe('canonical driver schema', () => {
  it('refuses an empty update, unknown fields and bad formats', () => {
    expect(canonicalDriverUpdate.safeParse({}).success).toBe(false);
    expect(canonicalDriverUpdate.safeParse({ nickname: 'x' }).success).toBe(false);
    expect(canonicalDriverUpdate.safeParse({ dateOfBirth: '1980-02-30' }).success).toBe(false);
    expect(canonicalDriverUpdate.safeParse({ email: 'not-an-email' }).success).toBe(false);
    expect(canonicalDriverUpdate.safeParse({ timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(canonicalDriverUpdate.safeParse({ address: { zip: '1' } }).success).toBe(false);
  });

  it('accepts null to clear and absent to keep', () => {
    expect(canonicalDriverUpdate.parse({ email: null, firstName: 'A' })).toEqual({ email: null, firstName: 'A' });
  });
});
