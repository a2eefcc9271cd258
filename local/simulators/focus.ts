/**
 * Focus CBA Driver Only Fleet `POST /api/v2/dof/update_driver`: HTTP Basic auth plus `fleet_token`
 * in the body; `{success, error_code, error_message}` answers; identifiers must match exactly one
 * driver; all-or-nothing; a blank value clears a field, an absent one is left alone. The HTTP
 * status of a refusal is unconfirmed: REFUSAL_STATUS decides it in one place.
 */
import { json, retryAfter, type SimReply, type VendorContract } from './server';

/** Unconfirmed whether CBA answers refusals with 200 + success:false or with a 4xx. */
export const REFUSAL_STATUS = 200;

type Driver = Record<string, string> & { driver_number: string };
const DRIVER_FIELDS = ['first_name', 'middle_name', 'last_name', 'dob', 'email', 'phone_number', 'cell_number', 'address', 'address2', 'city', 'state', 'zip', 'license', 'license_state'];
// The doc spells it both ways; accept both.
const IDENTIFIER_ALIASES: Record<string, string> = { custom_idenfier_1: 'custom_identifier_1' };

const seed = (): Driver[] => [
  { driver_number: 'D-1001', first_name: 'Susan', last_name: 'Jones', city: 'Scranton', state: 'PA', email: 'susan@example.com', license: 'PA1234567', license_state: 'PA' },
  { driver_number: 'D-1002', first_name: 'Dwight', last_name: 'Schrute', custom_identifier_1: 'shared-card' },
  { driver_number: 'D-1003', first_name: 'Jim', last_name: 'Halpert', custom_identifier_1: 'shared-card' },
];

const answer = (status: number, errorCode = '', message = ''): SimReply => json(status, { success: errorCode === '', error_code: errorCode, error_message: message });

export const focusContract = (credentials: () => { username: string; password: string; fleetToken: string }): VendorContract & { drivers: () => Driver[] } => {
  let drivers = seed();
  let customFields = new Map<string, Record<string, string>>();
  return {
    name: 'focus',
    drivers: () => drivers,
    authenticate: (request) => {
      const { username, password } = credentials();
      return request.headers.authorization === `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` ? username : undefined;
    },
    unauthorized: () => answer(401, 'Unauthorized', 'Invalid credentials'),
    rateLimited: (seconds) => ({ ...answer(429, 'TooManyRequests', 'Too many requests'), headers: retryAfter(seconds) }),
    serverError: (status) => answer(status, 'ServerError', 'An unexpected error occurred'),
    // Focus refuses inside whatever status it answers with, a 200 included.
    echo: (status, message) => answer(status, 'InvalidInput', message),
    handle: (request) => {
      if (request.method !== 'POST' || request.path !== '/api/v2/dof/update_driver') return answer(404, 'NotFound', 'Unknown endpoint');
      const body = request.body as { fleet_token?: unknown; identifiers?: unknown; driver?: unknown } | undefined;
      if (request.jsonError || !body || typeof body !== 'object') return answer(REFUSAL_STATUS, 'InvalidInput', 'Body must be JSON');
      if (body.fleet_token !== credentials().fleetToken) return answer(403, 'InvalidFleetToken', 'fleet_token is missing or does not belong to this account');
      const identifiers = body.identifiers as Record<string, unknown> | undefined;
      const driver = body.driver as Record<string, unknown> | undefined;
      if (!identifiers || typeof identifiers !== 'object' || Object.keys(identifiers).length === 0) return answer(REFUSAL_STATUS, 'InvalidInput', 'At least one identifier is required');
      if (!driver || typeof driver !== 'object') return answer(REFUSAL_STATUS, 'InvalidInput', 'driver is required');
      for (const [key, value] of Object.entries(driver)) {
        if (key === 'custom_fields') continue;
        if (!DRIVER_FIELDS.includes(key)) return answer(REFUSAL_STATUS, 'InvalidInput', `Unknown driver field ${key}`);
        if (typeof value !== 'string') return answer(REFUSAL_STATUS, 'InvalidInput', `${key} must be a string`);
      }
      if (typeof driver.dob === 'string' && driver.dob !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(driver.dob)) return answer(REFUSAL_STATUS, 'InvalidInput', 'dob must be yyyy-MM-dd');
      const matches = drivers.filter((candidate) =>
        Object.entries(identifiers).every(([key, value]) => candidate[IDENTIFIER_ALIASES[key] ?? key] === value),
      );
      if (matches.length === 0) return answer(REFUSAL_STATUS, 'NoDriver', 'The request driver does not exist in CBA.');
      if (matches.length > 1) return answer(REFUSAL_STATUS, 'MultipleDriversFound', 'More than one drivers are matched by given identifiers.');
      const target = matches[0]!;
      for (const [key, value] of Object.entries(driver)) {
        if (key === 'custom_fields') continue;
        if (value === '') delete target[key];
        else target[key] = value as string;
      }
      if (driver.custom_fields && typeof driver.custom_fields === 'object') {
        const fields = { ...customFields.get(target.driver_number) };
        for (const [key, value] of Object.entries(driver.custom_fields as Record<string, unknown>)) {
          if (value === '') delete fields[key];
          else fields[key] = String(value);
        }
        customFields.set(target.driver_number, fields);
      }
      return answer(200);
    },
    inspect: (request) =>
      request.segments[1] === 'drivers'
        ? json(200, drivers.map((d) => ({ ...d, custom_fields: customFields.get(d.driver_number) ?? {} })))
        : undefined,
    reset: () => {
      drivers = seed();
      customFields = new Map();
    },
  };
};
