/**
 * Samsara `PATCH/GET /fleet/drivers/{id}` as documented: bearer token, Samsara id or external id
 * `key:value`, `{message, requestId}` errors, activation rules, unique username and licence,
 * 429 with a fractional `Retry-After`. Unknown body fields are ignored, as the real API does.
 */
import { randomUUID } from 'node:crypto';
import { json, retryAfter, type SimReply, type SimRequest, type VendorContract } from './server';

type Driver = Record<string, unknown> & { id: string; externalIds?: Record<string, string> };

const seed = (): Driver[] => [
  {
    id: '123',
    name: 'Susan Jones',
    username: 'SusanJones',
    phone: '5558234327',
    licenseNumber: 'E1234567',
    licenseState: 'CA',
    externalIds: { payrollId: 'ABFS18600', maintenanceId: '250020' },
    driverActivationStatus: 'active',
    isDeactivated: false,
    timezone: 'America/Los_Angeles',
    eldDayStartHour: 0,
    createdAtTime: '2019-05-18T20:27:35Z',
    updatedAtTime: '2019-06-13T19:08:25Z',
  },
  {
    id: '456',
    name: 'Furious Fred',
    username: 'FuriousFred',
    externalIds: { payrollId: 'ABFS18601' },
    driverActivationStatus: 'active',
    isDeactivated: false,
    createdAtTime: '2020-01-02T10:00:00Z',
    updatedAtTime: '2020-01-02T10:00:00Z',
  },
];

const error = (status: number, message: string): SimReply => json(status, { message, requestId: randomUUID().slice(0, 8) });

const STRING_FIELDS = ['name', 'username', 'phone', 'notes', 'licenseNumber', 'licenseState', 'timezone', 'password', 'profileImageUrl', 'profileImageBase64', 'deactivatedAtTime', 'currentIdCardCode', 'eldExemptReason', 'peerGroupTagId', 'staticAssignedVehicleId', 'tachographCardNumber', 'trailerGroupTagId', 'vehicleGroupTagId', 'locale', 'driverActivationStatus'];
const WRITE_ONLY = new Set(['password', 'profileImageBase64', 'deactivatedAtTime']);
const SIX_MONTHS_MS = 183 * 24 * 3600 * 1000;

/** Samsara-side validation; returns the message of a 400, or undefined. */
const invalid = (body: Record<string, unknown>): string | undefined => {
  for (const field of STRING_FIELDS) {
    if (body[field] !== undefined && typeof body[field] !== 'string') return `${field} must be a string`;
  }
  if (typeof body.name === 'string' && (body.name.length < 1 || body.name.length > 255)) return 'name must be between 1 and 255 characters';
  if (typeof body.username === 'string' && (!/^[^\s@]{1,189}$/.test(body.username))) return 'username may not contain spaces or the @ symbol and must be 1-189 characters';
  if (body.driverActivationStatus !== undefined && !['active', 'deactivated'].includes(body.driverActivationStatus as string)) return 'driverActivationStatus must be active or deactivated';
  if (body.deactivatedAtTime !== undefined) {
    if (body.driverActivationStatus !== 'deactivated') return 'deactivatedAtTime cannot be provided with a driverActivationStatus of active';
    const at = Date.parse(body.deactivatedAtTime as string);
    if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(body.deactivatedAtTime as string)) return 'deactivatedAtTime must be RFC 3339';
    if (at < Date.now() - SIX_MONTHS_MS) return 'deactivatedAtTime cannot be more than 6 months in the past';
  }
  const override = body.usDriverRulesetOverride;
  if (override !== undefined && override !== null) {
    const keys = ['cycle', 'restart', 'restbreak', 'usStateToOverride'];
    if (typeof override !== 'object' || keys.some((key) => typeof (override as Record<string, unknown>)[key] !== 'string')) {
      return 'usDriverRulesetOverride requires cycle, restart, restbreak and usStateToOverride';
    }
  }
  if (body.externalIds !== undefined && (typeof body.externalIds !== 'object' || body.externalIds === null || Object.values(body.externalIds).some((v) => typeof v !== 'string'))) {
    return 'externalIds must map strings to strings';
  }
  return undefined;
};

/** `otherTokens`: the operator's other integrations, which share the organisation's rate limit. */
export const samsaraContract = (token: () => string, otherTokens: readonly string[] = []): VendorContract & { drivers: () => Driver[] } => {
  let drivers = seed();

  const find = (id: string): Driver | undefined => {
    const colon = id.indexOf(':');
    if (colon < 0) return drivers.find((driver) => driver.id === id);
    const [key, value] = [id.slice(0, colon), id.slice(colon + 1)];
    return drivers.find((driver) => driver.externalIds?.[key] === value);
  };

  const view = (driver: Driver) => Object.fromEntries(Object.entries(driver).filter(([key]) => !WRITE_ONLY.has(key)));

  const patch = (driver: Driver, body: Record<string, unknown>): SimReply => {
    const message = invalid(body);
    if (message) return error(400, message);
    if (typeof body.username === 'string' && drivers.some((d) => d !== driver && d.username === body.username)) return error(400, 'username is already taken');
    const licenseNumber = body.licenseNumber ?? driver.licenseNumber;
    const licenseState = body.licenseState ?? driver.licenseState;
    if ((body.licenseNumber ?? body.licenseState) !== undefined && drivers.some((d) => d !== driver && d.licenseNumber === licenseNumber && d.licenseState === licenseState)) {
      return error(400, 'licenseNumber and licenseState combination must be unique');
    }
    for (const [key, value] of Object.entries(body)) {
      if (key === 'usDriverRulesetOverride' && value === null) delete driver.usDriverRulesetOverride;
      else if (!WRITE_ONLY.has(key) || key === 'profileImageBase64') driver[key] = value;
    }
    if (body.profileImageBase64 !== undefined) driver.profileImageUrl = `https://samsara.example/images/${driver.id}.jpg`;
    if (body.driverActivationStatus !== undefined) driver.isDeactivated = body.driverActivationStatus === 'deactivated';
    driver.updatedAtTime = new Date().toISOString();
    return json(200, { data: view(driver) });
  };

  return {
    name: 'samsara',
    drivers: () => drivers,
    authenticate: (request) => [token(), ...otherTokens].find((candidate) => request.headers.authorization === `Bearer ${candidate}`),
    unauthorized: () => error(401, 'Unauthorized'),
    rateLimited: (seconds) => ({ ...error(429, 'Exceeded rate limit.'), headers: retryAfter(seconds, true) }),
    serverError: (status) => error(status, 'An internal error has occurred.'),
    echo: (status, message, request) =>
      status === 200 ? json(200, { data: { id: request.segments[2] ?? '', name: 'x', note: message } }) : error(status, message),
    handle: (request) => {
      const [fleet, resource, id, ...rest] = request.segments;
      if (fleet !== 'fleet' || resource !== 'drivers' || !id || rest.length) return error(404, 'Not found');
      const driver = find(id);
      if (request.method === 'GET') return driver ? json(200, { data: view(driver) }) : error(404, 'Driver not found');
      if (request.method !== 'PATCH') return error(405, 'Method not allowed');
      if (request.jsonError || typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) return error(400, 'Request body must be a JSON object');
      if (!driver) return error(404, 'Driver not found');
      return patch(driver, request.body as Record<string, unknown>);
    },
    reset: () => {
      drivers = seed();
    },
  };
};
