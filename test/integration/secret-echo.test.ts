/**
 * A vendor that repeats the credentials it was sent in its answer (simulator fault `echo-<status>`)
 * must never get a secret back out through the gateway: not in an HTTP answer (body or headers),
 * not in a published outcome event, not in a failed invocation's error (what Lambda puts in the
 * on-failure queue), not in a log line. The caller still learns which vendor said what, with the
 * secret replaced by `[redacted]`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VendorName } from '../../functions/core/problem';
import { loadLocalSecrets } from '../../local/secrets-file';
import { startGateway, type Reply, type TestGateway } from './gateway';
import { vendorState } from './vendors';

let gw: TestGateway;
let vendors: ReturnType<typeof vendorState>;

const SOURCE = 'driver-gateway.requests';
const secrets = loadLocalSecrets();
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Every form a secret could leave in: the value, as a bearer token, base64, and Focus's Basic credentials. */
const FORBIDDEN: { label: string; needle: string }[] = [
  ...Object.entries(secrets).flatMap(([vendor, secret]) =>
    Object.entries(secret)
      .filter(([, value]) => typeof value === 'string' && value.length >= 4)
      .flatMap(([name, value]) => [
        { label: `${vendor}.${name}`, needle: value },
        { label: `Bearer ${vendor}.${name}`, needle: `Bearer ${value}` },
        { label: `base64(${vendor}.${name})`, needle: base64(value) },
      ]),
  ),
  { label: 'base64(focus.username:focus.password)', needle: base64(`${secrets.focus.username}:${secrets.focus.password}`) },
];

/** Which forbidden forms `text` contains, labelled by where it was found (the secret itself is not repeated). */
const leaksIn = (where: string, text: string): string[] => FORBIDDEN.filter(({ needle }) => text.includes(needle)).map(({ label }) => `${label} in ${where}`);

const replyLeaks = (what: string, reply: Reply): string[] => [
  ...leaksIn(`${what} body`, typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? '')),
  ...[...reply.headers].flatMap(([name, value]) => leaksIn(`${what} header ${name}`, `${name}: ${value}`)),
];

const logLeaks = (from: number): string[] => gw.logs.slice(from).flatMap((line, i) => leaksIn(`log line ${from + i}: ${line.slice(0, 160)}`, line));

/** A vendor's words kept, its secret replaced: "… said: Invalid credentials: [redacted]". */
const expectRedactedVendorMessage = (text: unknown, where: string): void => {
  expect.soft(text, `${where}: keeps the vendor's own words`).toEqual(expect.stringContaining('Invalid credentials'));
  expect.soft(text, `${where}: says where the secret was`).toEqual(expect.stringContaining('[redacted]'));
};

const expectVendorProblem = (problem: any, vendor: VendorName, echoStatus: number, where: string): void => {
  expect.soft(problem?.vendor?.name, `${where}: vendor.name`).toBe(vendor);
  expect.soft(problem?.vendor?.status, `${where}: vendor.status`).toBe(echoStatus);
  expectRedactedVendorMessage(problem?.detail, `${where}: detail`);
};

/** Events carry a problem summary: whose and which status, never the vendor's free text (issue 10, point 7). */
const expectEventProblem = (problem: any, vendor: VendorName, echoStatus: number, where: string): void => {
  expect.soft(problem?.vendor?.name, `${where}: vendor.name`).toBe(vendor);
  expect.soft(problem?.vendor?.status, `${where}: vendor.status`).toBe(echoStatus);
  expect.soft(problem?.detail, `${where}: no free-text detail in events`).toBeUndefined();
  expect.soft(problem?.vendor?.message, `${where}: no vendor message in events`).toBeUndefined();
};

const FAULTS = ['echo-401', 'echo-400', 'echo-500', 'echo-200'] as const;
/** Only Focus refuses inside a 200; the others answer a 200 with their success body plus an echoed `note`. */
const refuses = (vendor: VendorName, fault: (typeof FAULTS)[number]): boolean => fault !== 'echo-200' || vendor === 'focus';
const statusOf = (fault: (typeof FAULTS)[number]): number => Number(fault.slice('echo-'.length));

/** One vendor operation per vendor: its HTTP route and the same request as an event detail. */
const VENDOR_CALLS: Record<VendorName, { op: string; method: string; path: string; body: Record<string, unknown>; detail: Record<string, unknown> }> = {
  samsara: { op: 'samsara.updateDriver', method: 'PATCH', path: '/v1/providers/samsara/drivers/123', body: { name: 'Echo Test' }, detail: { id: '123', name: 'Echo Test' } },
  drivequant: {
    op: 'drivequant.setDriverStatus',
    method: 'PUT',
    path: '/v1/providers/drivequant/drivers/susan-jones/status',
    body: { status: 'DISABLE' },
    detail: { userId: 'susan-jones', status: 'DISABLE' },
  },
  chargeapi: {
    op: 'chargeapi.detachDriver',
    method: 'POST',
    path: '/v1/providers/chargeapi/drivers/drv_susan/detach',
    body: { fleet: 'flt_east' },
    detail: { driver: 'drv_susan', fleet: 'flt_east' },
  },
  focus: {
    op: 'focus.updateDriver',
    method: 'POST',
    path: '/v1/providers/focus/drivers/update',
    body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'Scranton' } },
    detail: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'Scranton' } },
  },
};

const DRIVER = 'ECHO-1';
const LINKS = {
  samsara: { id: '123' },
  drivequant: { userId: 'susan-jones' },
  chargeapi: { driver: 'drv_susan', fleets: ['flt_east'] },
  focus: { identifiers: { driver_number: 'D-1001' } },
};
/** The fan-out operations after the links, and which vendors each one calls. */
const FAN_OUT = [
  { op: 'drivers.update', method: 'PATCH', path: `/v1/drivers/${DRIVER}`, body: { firstName: 'Echo', lastName: 'Test' }, calls: ['samsara', 'focus'] },
  { op: 'drivers.setStatus', method: 'PUT', path: `/v1/drivers/${DRIVER}/status`, body: { status: 'inactive' }, calls: ['samsara', 'drivequant'] },
  { op: 'drivers.offboard', method: 'POST', path: `/v1/drivers/${DRIVER}/offboard`, body: undefined, calls: ['samsara', 'drivequant', 'chargeapi'] },
] as const;

beforeAll(async () => {
  gw = await startGateway({
    env: {
      LOG_LEVEL: 'debug',
      VENDOR_ATTEMPT_TIMEOUT_MS: '200',
      VENDOR_BUDGET_MS: '1000',
      VENDOR_RETRY_BASE_MS: '5',
      // Repeated refusals must keep reaching the vendor, not an open circuit; and deactivations are not the point here.
      VENDOR_CIRCUIT_THRESHOLD: '0',
      MASS_CHANGE_LIMIT: '0',
    },
  });
  vendors = vendorState(gw);
});
afterAll(() => gw?.stop());
beforeEach(async () => {
  for (const vendor of Object.keys(VENDOR_CALLS) as VendorName[]) gw.simulators.setFaults(vendor, '');
  await vendors.reset();
});

describe('the echo fault itself', () => {
  it('a simulator under echo-401 really repeats the secret it was sent, and its recording stays redacted', async () => {
    gw.simulators.setFaults('samsara', 'echo-401:1');
    const response = await fetch(`${gw.simulators.urls.samsara}/fleet/drivers/123`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${secrets.samsara.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toBe(`Invalid credentials: Bearer ${secrets.samsara.apiToken}`);
    const recorded = JSON.stringify(await vendors.requests('samsara'));
    expect(leaksIn('recording', recorded)).toEqual([]);

    gw.simulators.setFaults('focus', 'echo-200:1');
    const focus = await fetch(`${gw.simulators.urls.focus}/api/v2/dof/update_driver`, {
      method: 'POST',
      headers: { authorization: `Basic ${base64(`${secrets.focus.username}:${secrets.focus.password}`)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fleet_token: secrets.focus.fleetToken, identifiers: { driver_number: 'D-1001' }, driver: { city: 'x' } }),
    });
    expect(focus.status).toBe(200);
    const text = await focus.text();
    expect(leaksIn('focus echo', text)).toEqual(expect.arrayContaining(['focus.fleetToken in focus echo', 'base64(focus.username:focus.password) in focus echo']));
    expect(leaksIn('recording', JSON.stringify(await vendors.requests('focus')))).toEqual([]);
  });
});

describe.each(Object.keys(VENDOR_CALLS) as VendorName[])('%s echoing credentials', (vendor) => {
  const call = VENDOR_CALLS[vendor];

  describe.each(FAULTS)('%s', (fault) => {
    const status = statusOf(fault);
    beforeEach(() => {
      gw.simulators.setFaults(vendor, `${fault}:1`);
    });

    it(`${call.op} over HTTP: no secret in the answer or the logs; the problem names ${vendor} and keeps its redacted words`, async () => {
      const logsFrom = gw.logs.length;
      const reply = await gw.call(call.method, call.path, { body: call.body });
      expect(await vendors.requests(vendor), 'the vendor was called').not.toHaveLength(0);
      expect.soft([...replyLeaks(`${call.method} ${call.path}`, reply), ...logLeaks(logsFrom)]).toEqual([]);
      if (refuses(vendor, fault)) {
        expect.soft(reply.status).toBeGreaterThanOrEqual(400);
        expect.soft(reply.headers.get('content-type')).toBe('application/problem+json');
        expectVendorProblem(reply.body, vendor, status, `${call.op} problem`);
      } else {
        expect.soft(reply.status).toBe(200);
      }
    });

    it(`${call.op} as an event: no secret in the outcome, the invocation error or the logs`, async () => {
      const logsFrom = gw.logs.length;
      const reply = await gw.event({ 'detail-type': call.op, source: SOURCE, detail: call.detail });
      expect(reply.status).toBe(200);
      expect(await vendors.requests(vendor), 'the vendor was called').not.toHaveLength(0);
      expect.soft([...replyLeaks('/_local/events', reply), ...logLeaks(logsFrom)]).toEqual([]);
      if (!refuses(vendor, fault)) {
        expect.soft(reply.body.invocation).toBe('succeeded');
        expect.soft(reply.body.outcomes[0]?.detail.status).toBe(200);
      } else if (status === 401 || status >= 500) {
        // Refused credentials and vendor errors are the gateway's or the vendor's fault (a 5xx problem):
        // Lambda retries, then the error message is what lands in the on-failure queue — the problem
        // type and the gateway's own words, never the vendor's (which may quote a driver).
        expect.soft(reply.body.invocation, `${call.op} invocation`).toBe('failed');
        expect.soft(reply.body.error?.errorMessage, `${call.op} invocation error`).toMatch(new RegExp(`^vendor-[a-z-]+: ${vendor} `));
        expect.soft(reply.body.error?.errorMessage, `${call.op} invocation error`).not.toContain('Invalid credentials');
      } else {
        expect.soft(reply.body.invocation, `${call.op} invocation`).toBe('succeeded');
        expect.soft(reply.body.outcomes).toHaveLength(1);
        expectEventProblem(reply.body.outcomes[0]?.detail.problem, vendor, status, `${call.op} outcome problem`);
      }
    });

    const expectFanOutResult = (result: any, where: string, inEvent = false): void => {
      if (refuses(vendor, fault)) {
        expect.soft(result?.outcome, `${where}: ${vendor} outcome`).toBe('failed');
        if (inEvent) expectEventProblem(result?.problem, vendor, status, `${where}: ${vendor} problem`);
        else expectVendorProblem(result?.error, vendor, status, `${where}: ${vendor} error`);
      } else {
        expect.soft(result?.outcome, `${where}: ${vendor} outcome`).toBe('succeeded');
      }
    };

    it('driver links then update, status and offboard over HTTP: no secret anywhere; each result names the vendor', async () => {
      const logsFrom = gw.logs.length;
      const leaks: string[] = [];
      const links = await gw.call('PUT', `/v1/drivers/${DRIVER}/links`, { body: LINKS });
      expect(links.status).toBe(200);
      leaks.push(...replyLeaks('PUT links', links));
      for (const step of FAN_OUT) {
        const reply = await gw.call(step.method, step.path, step.body ? { body: step.body } : {});
        leaks.push(...replyLeaks(`${step.method} ${step.path}`, reply));
        if ((step.calls as readonly string[]).includes(vendor)) expectFanOutResult(reply.body?.results?.[vendor], step.op);
      }
      expect(await vendors.requests(vendor), 'the vendor was called').not.toHaveLength(0);
      expect.soft([...leaks, ...logLeaks(logsFrom)]).toEqual([]);
    });

    it('driver links then update, status and offboard as events: no secret in any outcome, error or log', async () => {
      const logsFrom = gw.logs.length;
      const leaks: string[] = [];
      const links = await gw.event({ 'detail-type': 'drivers.putLinks', source: SOURCE, detail: { driverId: DRIVER, ...LINKS } });
      expect(links.body.invocation).toBe('succeeded');
      leaks.push(...replyLeaks('drivers.putLinks event', links));
      for (const step of FAN_OUT) {
        const reply = await gw.event({ 'detail-type': step.op, source: SOURCE, detail: { driverId: DRIVER, ...step.body } });
        leaks.push(...replyLeaks(`${step.op} event`, reply));
        expect.soft(reply.body.invocation, `${step.op} invocation`).toBe('succeeded');
        if ((step.calls as readonly string[]).includes(vendor)) expectFanOutResult(reply.body.outcomes?.[0]?.detail.result?.results?.[vendor], `${step.op} outcome`, true);
      }
      expect(await vendors.requests(vendor), 'the vendor was called').not.toHaveLength(0);
      expect.soft([...leaks, ...logLeaks(logsFrom)]).toEqual([]);
    });
  });
});

describe('after all of it', () => {
  it('no log line of the whole file holds any form of any secret', () => {
    expect(gw.logs.length).toBeGreaterThan(50);
    expect(logLeaks(0)).toEqual([]);
  });
});
