/**
 * Runs every kind of request, success and failure, and scans everything the gateway logged for
 * secret values, passwords, images, licence numbers and credentials headers: zero hits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalSecrets } from '../../local/secrets-file';
import { startGateway, type TestGateway } from './gateway';
import { forbiddenInLogs, LICENCE_NUMBERS } from './log-scanner';

let gw: TestGateway;
const secrets = loadLocalSecrets();
const PASSWORD = 'CorrectHorseBatteryStaple-77';
const IMAGE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const LICENCES = LICENCE_NUMBERS;

beforeAll(async () => {
  gw = await startGateway({ env: { LOG_LEVEL: 'debug', VENDOR_ATTEMPT_TIMEOUT_MS: '200', VENDOR_BUDGET_MS: '1000', VENDOR_RETRY_BASE_MS: '5' } });
  const samsara = '/v1/providers/samsara/drivers/123';
  await gw.call('PATCH', samsara, { body: { password: PASSWORD, profileImageBase64: IMAGE, licenseNumber: 'Z9988776', licenseState: 'CA' } });
  await gw.call('PATCH', samsara, { body: { password: PASSWORD, username: 'has space' } });
  await gw.call('PATCH', '/v1/providers/samsara/drivers/999', { body: { licenseNumber: 'LIC-55-HYGIENE' } });
  await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-1001' }, driver: { license: 'LIC-55-HYGIENE', dob: '1980-01-02' } } });
  await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-9' }, driver: { license: 'LIC-55-HYGIENE' } } });
  await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'DISABLE' } });
  await gw.call('POST', '/v1/providers/chargeapi/drivers/drv_susan/detach', { body: { fleet: 'flt_east' } });
  await gw.call('PUT', '/v1/drivers/H-1/links', { body: { samsara: { id: '123' }, focus: { identifiers: { driver_number: 'D-1001' } }, chargeapi: { driver: 'drv_susan', fleets: ['flt_west'] } } });
  await gw.call('PATCH', '/v1/drivers/H-1', { body: { licenseNumber: 'LIC-55-HYGIENE', dateOfBirth: '1980-01-02', firstName: 'A', lastName: 'B' } });
  await gw.call('PATCH', '/v1/drivers/H-1?dryRun=true', { body: { licenseNumber: 'LIC-55-HYGIENE' } });
  await gw.call('POST', '/v1/drivers/H-1/offboard');
  await gw.event({ 'detail-type': 'samsara.updateDriver', source: 'driver-gateway.requests', detail: { id: '123', password: PASSWORD, licenseNumber: 'Z9988776' } });
  // Credentials refused, then faults, so the error paths log too.
  gw.simulators.setCredentials('samsara', { apiToken: 'another-token' });
  await gw.call('PATCH', samsara, { body: { password: PASSWORD } });
  gw.simulators.setCredentials('samsara', secrets.samsara);
  gw.simulators.setFaults('focus', '500:1');
  await gw.call('POST', '/v1/providers/focus/drivers/update', { body: { identifiers: { driver_number: 'D-1001' }, driver: { license: 'LIC-55-HYGIENE' } } });
  gw.simulators.setFaults('focus', '');
});
afterAll(() => gw?.stop());

describe('log hygiene', () => {
  it('logged something to scan', () => {
    expect(gw.logs.length).toBeGreaterThan(20);
  });

  it('no secret value appears in any log line', () => {
    const values = Object.values(secrets).flatMap((secret) => Object.values(secret)).filter((value) => value.length >= 8);
    expect(values.length).toBeGreaterThanOrEqual(6);
    for (const value of values) expect(gw.logs.filter((line) => line.includes(value))).toEqual([]);
  });

  it('no password, image, licence number or credentials header appears', () => {
    const forbidden = [PASSWORD, IMAGE.slice(0, 24), ...LICENCES, 'Bearer ', 'Basic ', 'profileImageBase64":"', '"password":"'];
    for (const needle of forbidden) expect(gw.logs.filter((line) => line.includes(needle))).toEqual([]);
    expect(forbiddenInLogs(gw.logs, [PASSWORD, IMAGE.slice(0, 24)])).toEqual([]);
  });

  it('the scanner itself catches a leak', () => {
    expect(forbiddenInLogs([JSON.stringify({ message: 'oops', token: secrets.samsara.apiToken })])).toHaveLength(1);
    expect(forbiddenInLogs(['{"authorization":"Bearer abc123"}'])).toHaveLength(1);
    expect(forbiddenInLogs(['{"licenseNumber":"E1234567"}'])).toHaveLength(1);
    expect(forbiddenInLogs(['{"password":"[redacted]"}'])).toHaveLength(0);
  });
});
