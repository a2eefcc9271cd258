import { describe, expect, it } from 'vitest';
import { chargeapiContract } from '../../local/simulators/chargeapi';
import { drivequantContract } from '../../local/simulators/drivequant';
import { drawFault, echoStatus, parseFaults } from '../../local/simulators/faults';
import { focusContract } from '../../local/simulators/focus';
import { startSimulators } from '../../local/simulators';
import { DEFAULT_ORG_RATE_LIMITS, parseRateLimits, TokenBucket } from '../../local/simulators/rate-limit';
import { loadLocalSecrets } from '../../local/secrets-file';
import { samsaraContract } from '../../local/simulators/samsara';
import { credentialEcho, type SimRequest } from '../../local/simulators/server';

const VENDORS = ['samsara', 'drivequant', 'chargeapi', 'focus'];

describe('SIMULATOR_FAULTS', () => {
  it('parses probabilities and counts per vendor', () => {
    const rules = parseFaults('samsara=429:0.3,drivequant=503:0.3,chargeapi=reset:0.3,focus=500#2,focus=timeout:1', VENDORS);
    expect(rules.get('samsara')).toEqual([{ kind: 429, probability: 0.3 }]);
    expect(rules.get('chargeapi')).toEqual([{ kind: 'reset', probability: 0.3 }]);
    expect(rules.get('focus')).toEqual([{ kind: 500, remaining: 2 }, { kind: 'timeout', probability: 1 }]);
  });

  it('refuses what it cannot honour, with the reason', () => {
    expect(() => parseFaults('hubspot=500:1', VENDORS)).toThrow(/unknown vendor/);
    expect(() => parseFaults('samsara=teapot:1', VENDORS)).toThrow(/unknown fault kind/);
    expect(() => parseFaults('samsara=500:1.5', VENDORS)).toThrow(/between 0 and 1/);
    expect(() => parseFaults('samsara=500', VENDORS)).toThrow(/vendor=kind/);
    expect(() => parseFaults('samsara=200:1', VENDORS)).toThrow(/unknown fault kind/);
  });

  it('uses up #count faults first, then draws probabilities', () => {
    const rules = parseFaults('samsara=500#2,samsara=429:0.5', VENDORS).get('samsara')!;
    expect(drawFault(rules, () => 0.9)).toBe(500);
    expect(drawFault(rules, () => 0.9)).toBe(500);
    expect(drawFault(rules, () => 0.9)).toBeUndefined();
    expect(drawFault(rules, () => 0.1)).toBe(429);
  });
});

describe('echo-<status> faults', () => {
  it('parse for 200 and every status 400-599, by probability or by count', () => {
    const rules = parseFaults('samsara=echo-401:1,samsara=echo-500#2,focus=echo-200:0.5,chargeapi=echo-599#1,drivequant=echo-400:1', VENDORS);
    expect(rules.get('samsara')).toEqual([{ kind: 'echo-401', probability: 1 }, { kind: 'echo-500', remaining: 2 }]);
    expect(rules.get('focus')).toEqual([{ kind: 'echo-200', probability: 0.5 }]);
    expect(rules.get('chargeapi')).toEqual([{ kind: 'echo-599', remaining: 1 }]);
    expect(rules.get('drivequant')).toEqual([{ kind: 'echo-400', probability: 1 }]);
    expect(echoStatus('echo-401')).toBe(401);
    expect(echoStatus('echo-200')).toBe(200);
    expect(echoStatus(401)).toBeUndefined();
    expect(echoStatus('garbage')).toBeUndefined();
    expect(echoStatus(undefined)).toBeUndefined();
  });

  it('refuse other statuses and malformed echo kinds', () => {
    for (const kind of ['echo-201', 'echo-302', 'echo-399', 'echo-600', 'echo-40', 'echo-4010', 'echo-', 'echo', 'echo-abc', 'echo401']) {
      expect(() => parseFaults(`samsara=${kind}:1`, VENDORS), kind).toThrow(/unknown fault kind/);
    }
  });

  it('are drawn like any other fault: #count first, then probabilities', () => {
    const rules = parseFaults('samsara=echo-401#1,samsara=echo-500:0.5', VENDORS).get('samsara')!;
    expect(drawFault(rules, () => 0.9)).toBe('echo-401');
    expect(drawFault(rules, () => 0.9)).toBeUndefined();
    expect(drawFault(rules, () => 0.1)).toBe('echo-500');
  });
});

const simRequest = (path: string, headers: Record<string, string>, body?: unknown): SimRequest => ({
  method: 'POST',
  path,
  segments: path.split('/').filter(Boolean).map(decodeURIComponent),
  query: new URLSearchParams(),
  headers,
  rawBody: body === undefined ? '' : JSON.stringify(body),
  body,
  jsonError: false,
});

describe('credential echo', () => {
  it('repeats the Authorization header, else the DriveKit admin key, and a body fleet_token', () => {
    expect(credentialEcho(simRequest('/fleet/drivers/123', { authorization: 'Bearer tok-1' }))).toBe('Invalid credentials: Bearer tok-1');
    expect(credentialEcho(simRequest('/x', { 'drivekit-admin-api-key': 'dq-key' }))).toBe('Invalid credentials: dq-key');
    expect(credentialEcho(simRequest('/x', { authorization: 'Basic dXM6cHc=' }, { fleet_token: 'ft-9', identifiers: {} }))).toBe('Invalid credentials: Basic dXM6cHc= fleet_token=ft-9');
    expect(credentialEcho(simRequest('/x', {}, ['fleet_token']))).toBe('Invalid credentials: ');
  });

  it("answers in each vendor's own error shape, and a 200 in its success shape with a note", () => {
    const message = 'Invalid credentials: Bearer tok-1';
    const samsara = samsaraContract(() => 'tok');
    expect(samsara.echo(401, message, simRequest('/fleet/drivers/123', {}))).toMatchObject({ status: 401, body: { message, requestId: expect.any(String) } });
    expect(samsara.echo(200, message, simRequest('/fleet/drivers/payrollId%3AX', {}))).toMatchObject({ status: 200, body: { data: { id: 'payrollId:X', name: 'x', note: message } } });
    const drivequant = drivequantContract(() => 'key');
    expect(drivequant.echo(500, message, simRequest('/v3/drivekit/admin/drivers/u/status', {}))).toEqual({ status: 500, body: message });
    expect(drivequant.echo(200, message, simRequest('/v3/drivekit/admin/drivers/u/status', {}))).toMatchObject({ status: 200, body: { status: 'ENABLE', note: message } });
    const chargeapi = chargeapiContract(() => 'sk');
    expect(chargeapi.echo(400, message, simRequest('/v1/drivers/drv_a/detach', {}))).toMatchObject({ status: 400, body: { object: 'error', code: 'invalid_credentials', message } });
    expect(chargeapi.echo(200, message, simRequest('/v1/drivers/drv_a/detach', {}))).toMatchObject({ status: 200, body: { id: 'drv_a', object: 'driver', fleets: [], note: message } });
    const focus = focusContract(() => ({ username: 'u', password: 'p', fleetToken: 'f' }));
    for (const status of [200, 400, 401, 500]) {
      expect(focus.echo(status, message, simRequest('/api/v2/dof/update_driver', {}))).toMatchObject({ status, body: { success: false, error_code: 'InvalidInput', error_message: message } });
    }
  });
});

describe('rate limits', () => {
  it('defaults to Samsara 150/s and conservative limits elsewhere; overridable', () => {
    expect(parseRateLimits(undefined)).toEqual({ samsara: 150, drivequant: 50, chargeapi: 100, focus: 20 });
    expect(parseRateLimits('focus=0,samsara=10')).toMatchObject({ focus: 0, samsara: 10 });
    expect(() => parseRateLimits('samsara=-1')).toThrow();
  });

  it("Samsara's organisation limit (200/s) is shared by every token of the account: another integration's calls use it up too", async () => {
    expect(parseRateLimits(undefined, DEFAULT_ORG_RATE_LIMITS, 'SIMULATOR_ORG_RATE_LIMITS')).toEqual({ samsara: 200, drivequant: 0, chargeapi: 0, focus: 0 });
    const secrets = loadLocalSecrets();
    const sims = await startSimulators({ credentials: secrets, rateLimits: 'samsara=100', orgRateLimits: 'samsara=3', otherSamsaraTokens: ['other-integration-token'] });
    try {
      const call = (token: string) => fetch(`${sims.urls.samsara}/fleet/drivers/123`, { headers: { authorization: `Bearer ${token}` } });
      expect((await call(secrets.samsara.apiToken!)).status).toBe(200);
      expect((await call('other-integration-token')).status).toBe(200);
      expect((await call('other-integration-token')).status).toBe(200);
      const refused = await call(secrets.samsara.apiToken!); // 4th of the organisation's 3, though this token sent only 2
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call('not-a-token')).status).toBe(401);
    } finally {
      await sims.stop();
    }
  });

  it('a token bucket allows a burst of its rate, then says how long to wait', () => {
    let now = 0;
    const bucket = new TokenBucket(150, () => now);
    for (let i = 0; i < 150; i += 1) expect(bucket.take('token').ok).toBe(true);
    const refused = bucket.take('token');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeCloseTo(1 / 150, 5);
    expect(bucket.take('other-token').ok).toBe(true);
    now += 1000 / 150;
    expect(bucket.take('token').ok).toBe(true);
  });
});
