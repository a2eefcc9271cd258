/**
 * ChargeAPI drivers: `POST /v1/drivers/{driver}/detach|attach {fleet}`, `GET /v1/drivers/{driver}`.
 * Bearer secret key, Stripe-like error objects, and `Idempotency-Key` on POST: the same key with
 * the same body replays the stored answer without applying again (`Idempotent-Replayed: true`);
 * the same key with another body is a 400 `idempotency_key_reused`. Which status a detach from a
 * fleet the driver is not in gets is unconfirmed; we answer 409 `driver_fleet_conflict`.
 */
import { randomUUID } from 'node:crypto';
import { json, retryAfter, type SimReply, type VendorContract } from './server';

interface Driver {
  id: string;
  object: 'driver';
  created: string;
  updated: string;
  email: string;
  fleets: string[];
  license_number: string | null;
  metadata: Record<string, string>;
  name: string;
  phone: string | null;
  policy_ids: string[];
  preferences: Record<string, unknown>;
  status: 'active' | 'suspended' | 'archived';
  vehicles: string[];
  wallet_balance: number;
}

const FLEETS = new Set(['flt_east', 'flt_west', 'flt_north']);
const KEY_TTL_MS = 24 * 3600 * 1000;

const seed = (): Map<string, Driver> =>
  new Map([
    [
      'drv_susan',
      {
        id: 'drv_susan',
        object: 'driver',
        created: '2026-04-01T00:15:50.826Z',
        updated: '2026-04-01T00:15:50.826Z',
        email: 'susan@example.com',
        fleets: ['flt_east', 'flt_west'],
        license_number: null,
        metadata: {},
        name: 'Susan Jones',
        phone: null,
        policy_ids: [],
        preferences: { charging_speed: 'fast', currency: 'eur', default_payment_method: null, max_price_per_kwh: null, notifications: true, preferred_charging_stations: [], preferred_cpos: [] },
        status: 'active',
        vehicles: [],
        wallet_balance: 0,
      },
    ],
  ]);

const error = (status: number, type: string, code: string, message: string, param: string | null = null): SimReply =>
  json(status, { object: 'error', type, code, message, param, request: `req_${randomUUID().replace(/-/g, '').slice(0, 16)}`, status, doc_url: 'https://docs.chargeapi.co/errors' });

export const chargeapiContract = (secretKey: () => string): VendorContract & { drivers: () => Map<string, Driver>; appliedWrites: () => number; keysSeen: () => string[] } => {
  let drivers = seed();
  let keys = new Map<string, { body: string; reply: SimReply; at: number }>();
  let applied = 0;

  const write = (driver: Driver, action: 'detach' | 'attach', fleet: string): SimReply => {
    if (!FLEETS.has(fleet)) return error(404, 'invalid_request_error', 'fleet_not_found', `No such fleet: '${fleet}'`, 'fleet');
    const inFleet = driver.fleets.includes(fleet);
    if (action === 'detach' && !inFleet) return error(409, 'invalid_request_error', 'driver_fleet_conflict', `Driver is not attached to fleet '${fleet}'`, 'fleet');
    if (action === 'attach' && inFleet) return error(409, 'invalid_request_error', 'driver_fleet_conflict', `Driver is already attached to fleet '${fleet}'`, 'fleet');
    driver.fleets = action === 'detach' ? driver.fleets.filter((f) => f !== fleet) : [...driver.fleets, fleet];
    driver.updated = new Date().toISOString();
    applied += 1;
    return json(200, structuredClone(driver));
  };

  return {
    name: 'chargeapi',
    drivers: () => drivers,
    appliedWrites: () => applied,
    keysSeen: () => [...keys.keys()],
    authenticate: (request) => (request.headers.authorization === `Bearer ${secretKey()}` ? secretKey() : undefined),
    unauthorized: () => error(401, 'authentication_error', 'api_key_invalid', 'Invalid API key provided'),
    rateLimited: (seconds) => ({ ...error(429, 'rate_limit_error', 'rate_limit_exceeded', 'Too many requests'), headers: retryAfter(seconds) }),
    serverError: (status) => error(status, 'api_error', 'internal_error', 'Something went wrong on our end'),
    echo: (status, message, request) =>
      status === 200
        ? json(200, { id: request.segments[2] ?? '', object: 'driver', fleets: [], note: message })
        : json(status, { object: 'error', code: 'invalid_credentials', message }),
    handle: (request) => {
      const [v1, resource, id, action, ...rest] = request.segments;
      if (v1 !== 'v1' || resource !== 'drivers' || !id || rest.length) return error(404, 'invalid_request_error', 'resource_missing', 'Unrecognized request URL');
      const driver = drivers.get(id);
      if (request.method === 'GET' && action === undefined) {
        return driver ? json(200, driver) : error(404, 'invalid_request_error', 'driver_not_found', `No such driver: '${id}'`);
      }
      if (request.method !== 'POST' || (action !== 'detach' && action !== 'attach')) return error(404, 'invalid_request_error', 'resource_missing', 'Unrecognized request URL');

      const key = request.headers['idempotency-key'];
      if (key !== undefined && (key.length === 0 || key.length > 255)) return error(400, 'invalid_request_error', 'idempotency_key_invalid', 'Idempotency-Key must be 1-255 characters');
      const now = Date.now();
      if (key) {
        const previous = keys.get(key);
        if (previous && now - previous.at < KEY_TTL_MS) {
          if (previous.body !== request.rawBody) return error(400, 'idempotency_error', 'idempotency_key_reused', 'Keys for idempotent requests can only be used with the same parameters they were first used with');
          return { ...previous.reply, headers: { ...previous.reply.headers, 'idempotent-replayed': 'true' } };
        }
      }
      const fleet = (request.body as { fleet?: unknown } | undefined)?.fleet;
      let reply: SimReply;
      if (request.jsonError || typeof fleet !== 'string' || !fleet) reply = error(400, 'invalid_request_error', 'parameter_missing', 'Missing required param: fleet', 'fleet');
      else if (!driver) reply = error(404, 'invalid_request_error', 'driver_not_found', `No such driver: '${id}'`);
      else reply = write(driver, action, fleet);
      // Like Stripe, only answers that reached the API logic are stored (not 401/429/5xx).
      if (key) keys.set(key, { body: request.rawBody, reply, at: now });
      return reply;
    },
    reset: () => {
      drivers = seed();
      keys = new Map();
      applied = 0;
    },
  };
};
