/**
 * Hostile ids, judged where it matters: at the vendor. Whatever id a caller sends (in a path, a
 * body, an event detail or a stored driver link), every request a vendor simulator receives must
 * be on EXACTLY the intended path, `…/` + encodeURIComponent(id) + `/…` — never a `..`-collapsed
 * neighbour such as `/v3/drivekit/admin/status` or `/fleet/`. An id the gateway cannot put on
 * that path (dot segments, lone surrogates) is refused with a 400 naming the field, or, for a
 * stored link, fails that vendor alone with a 4xx. Never a 5xx, never a failed invocation.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORS, type VendorName } from '../../functions/core/problem';
import { registry } from '../../functions/registry';
import { compileRoutes, matchRoute } from '../../local/routes';
import { startGateway, type Reply, type TestGateway } from './gateway';

let gw: TestGateway;
const SOURCE = 'driver-gateway.requests';
const routes = compileRoutes(registry);

// ---------------------------------------------------------------------------------------------
// The battery and how an id is meant to travel
// ---------------------------------------------------------------------------------------------

const BATTERY: readonly string[] = [
  '.', '..', '%2e', '%2E%2E', '%2F', '/', 'a/../b', '?x=1', '#frag', '\\', '..\\..', '%00', '\u0000',
  'a\r\nX-Injected: 1', '\n', '\ud800', '\udfff', 'é', '𝒳', '\u202e', 'x'.repeat(600), ' ',
];
const label = (id: string): string => {
  const json = JSON.stringify(id);
  return json.length > 24 ? `${json.slice(0, 12)}…(${id.length} chars)` : json;
};
const CASES = BATTERY.map((id, index) => ({ id, index, name: label(id) }));

/** Unpaired surrogates: no UTF-8 (so no percent-encoding and no vendor) can carry them. */
const illFormed = (id: string): boolean => /\p{Cs}/u.test(id);

/** encodeURIComponent, except that a lone surrogate becomes its WTF-8 bytes (which no UTF-8 decoder accepts). */
const encodeSegment = (id: string): string =>
  [...id]
    .map((char) => {
      if (!illFormed(char)) return encodeURIComponent(char);
      const code = char.charCodeAt(0);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    })
    .join('');

/** The adapters decode a path parameter once and keep it raw when it does not decode. */
const decodeOnce = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Where each id-carrying vendor field must land, exactly. */
const vendorPath = {
  samsara: (id: string) => `/fleet/drivers/${encodeURIComponent(id)}`,
  drivequant: (userId: string) => `/v3/drivekit/admin/drivers/${encodeURIComponent(userId)}/status`,
  chargeapi: (driver: string) => `/v1/drivers/${encodeURIComponent(driver)}/detach`,
  focus: () => '/api/v2/dof/update_driver',
};
type Intended = Partial<Record<VendorName, string>>;
/** `{vendor: path}` when the id can be put on the path at all, else no request for that vendor. */
const onlyIf = (vendor: VendorName, id: string, path: (id: string) => string): Intended => (illFormed(id) ? {} : { [vendor]: path(id) });

// ---------------------------------------------------------------------------------------------
// Observing a call: the answer, and every request the simulators recorded meanwhile
// ---------------------------------------------------------------------------------------------

interface Seen {
  vendor: VendorName;
  method: string;
  path: string;
  rawPath: string;
  body: any;
}

const observe = async (call: () => Promise<Reply>): Promise<{ reply: Reply; seen: Seen[] }> => {
  const before = Object.fromEntries(VENDORS.map((vendor) => [vendor, gw.simulators.simulators[vendor].requests.length]));
  const reply = await call();
  const seen = VENDORS.flatMap((vendor) =>
    gw.simulators.simulators[vendor].requests.slice(before[vendor]).map((r) => ({ vendor, method: r.method, path: r.path, rawPath: r.rawPath, body: r.body })),
  );
  return { reply, seen };
};

const expectOnlyIntendedPaths = (seen: Seen[], intended: Intended, where: string): void => {
  const wrong = seen
    .filter((r) => intended[r.vendor] === undefined || r.rawPath !== intended[r.vendor] || r.path !== intended[r.vendor])
    .map((r) => `${r.vendor} received ${r.method} ${JSON.stringify(r.rawPath)} (routed as ${JSON.stringify(r.path)}); intended: ${intended[r.vendor] === undefined ? 'no request' : JSON.stringify(intended[r.vendor])}`);
  expect.soft(wrong.length, `${where}: requests outside the intended path: ${wrong.join('; ')}`).toBe(0);
};

/** A status below 500, failing readably when there is no status at all. */
const expectBelow500 = (status: unknown, message: string): void => {
  expect.soft(typeof status === 'number' && status < 500 ? 'below 500' : status, message).toBe('below 500');
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const errorPaths = (problem: any): string[] => (Array.isArray(problem?.errors) ? problem.errors.map((e: { path: string }) => e.path) : []);
const namesField = (problem: any, field: string): boolean => errorPaths(problem).some((path) => new RegExp(`^${escapeRegExp(field)}($|[.[])`).test(path));

interface AnswerRules {
  /** The field a 400 must name, e.g. `path.id`, `detail.samsara.id`. */
  field?: string;
  /** The input can never be honoured (a lone surrogate): must be a 400. */
  mustRefuse?: boolean;
  /** A single-vendor route: a 400 means the vendor was never called. */
  seen?: Seen[];
}

const expectHttpAnswer = (reply: Reply, where: string, rules: AnswerRules): void => {
  expectBelow500(reply.status, `${where}: never a 5xx (got ${JSON.stringify(reply.body)?.slice(0, 200)})`);
  if (reply.status >= 400) expect.soft(reply.headers.get('content-type'), `${where}: a problem document`).toBe('application/problem+json');
  if (rules.mustRefuse) expect.soft(reply.status, `${where}: an id no vendor can receive is a 400`).toBe(400);
  if (reply.status === 400 && rules.field) expect.soft(errorPaths(reply.body), `${where}: the 400 names ${rules.field}`).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${escapeRegExp(rules.field)}($|[.[])`))]));
  if (reply.status === 400 && rules.seen) expect.soft(rules.seen, `${where}: refused, so no vendor call`).toEqual([]);
};

const expectEventAnswer = (reply: Reply, where: string, rules: AnswerRules): void => {
  const body = reply.body ?? {};
  expect.soft(body.invocation, `${where}: invocation must succeed (got ${body.error?.errorType}: ${body.error?.errorMessage})`).toBe('succeeded');
  const outcome = body.outcomes?.[0]?.detail;
  if (body.invocation === 'succeeded') expectBelow500(outcome?.status, `${where}: outcome status (got ${JSON.stringify(outcome?.problem ?? outcome?.result)?.slice(0, 200)})`);
  if (rules.mustRefuse && body.invocation === 'succeeded') expect.soft(outcome?.status, `${where}: an id no vendor can receive is a 400`).toBe(400);
  if (outcome?.status === 400 && rules.field) expect.soft(namesField(outcome.problem, rules.field), `${where}: the 400 names ${rules.field} (errors: ${errorPaths(outcome.problem).join(', ')})`).toBe(true);
  if (outcome?.status === 400 && rules.seen) expect.soft(rules.seen, `${where}: refused, so no vendor call`).toEqual([]);
};

// ---------------------------------------------------------------------------------------------
// Gateway
// ---------------------------------------------------------------------------------------------

const savedRateLimits = process.env.SIMULATOR_RATE_LIMITS;
beforeAll(async () => {
  // Rate limits are not under test here; without them nothing waits on a clock.
  process.env.SIMULATOR_RATE_LIMITS = 'samsara=0,drivequant=0,chargeapi=0,focus=0';
  gw = await startGateway({
    env: {
      VENDOR_ATTEMPT_TIMEOUT_MS: '200',
      VENDOR_BUDGET_MS: '1000',
      VENDOR_RETRY_BASE_MS: '5',
      VENDOR_CIRCUIT_THRESHOLD: '0',
      MASS_CHANGE_LIMIT: '0',
      SAMSARA_RATE_PER_SECOND: '0',
      DRIVEQUANT_RATE_PER_SECOND: '0',
      CHARGEAPI_RATE_PER_SECOND: '0',
      FOCUS_RATE_PER_SECOND: '0',
    },
  });
});
afterAll(async () => {
  await gw?.stop();
  if (savedRateLimits === undefined) delete process.env.SIMULATOR_RATE_LIMITS;
  else process.env.SIMULATOR_RATE_LIMITS = savedRateLimits;
});

// ---------------------------------------------------------------------------------------------
// Vendor operations: ids in paths and bodies
// ---------------------------------------------------------------------------------------------

interface PathField {
  op: string;
  method: string;
  /** Route with `{param}`. */
  route: string;
  param: string;
  body: Record<string, unknown>;
  intended: (id: string) => Intended;
}

const PATH_FIELDS: PathField[] = [
  { op: 'samsara.updateDriver', method: 'PATCH', route: '/v1/providers/samsara/drivers/{id}', param: 'id', body: { name: 'Hostile Id' }, intended: (id) => onlyIf('samsara', id, vendorPath.samsara) },
  { op: 'drivequant.setDriverStatus', method: 'PUT', route: '/v1/providers/drivequant/drivers/{userId}/status', param: 'userId', body: { status: 'ENABLE' }, intended: (id) => onlyIf('drivequant', id, vendorPath.drivequant) },
  { op: 'chargeapi.detachDriver', method: 'POST', route: '/v1/providers/chargeapi/drivers/{driver}/detach', param: 'driver', body: { fleet: 'flt_east' }, intended: (id) => onlyIf('chargeapi', id, vendorPath.chargeapi) },
];

/** HTTP with the id percent-encoded (the way a careful client sends it), then as an event detail. */
const checkPathField = async (field: PathField, id: string): Promise<void> => {
  const url = field.route.replace(`{${field.param}}`, encodeSegment(id));
  const http = await observe(() => gw.call(field.method, url, { body: field.body }));
  expectHttpAnswer(http.reply, `HTTP ${field.method} ${url}`, { field: `path.${field.param}`, mustRefuse: illFormed(id), seen: http.seen });
  expectOnlyIntendedPaths(http.seen, field.intended(id), `HTTP ${url}`);

  const event = await observe(() => gw.event({ 'detail-type': field.op, source: SOURCE, detail: { [field.param]: id, ...field.body } }));
  expectEventAnswer(event.reply, `event ${field.op}`, { field: `detail.${field.param}`, mustRefuse: illFormed(id), seen: event.seen });
  expectOnlyIntendedPaths(event.seen, field.intended(id), `event ${field.op}`);
};

/**
 * HTTP with the id put into the URL as is: fetch normalises it (dot segments, `\`, `#`, `?`,
 * control characters), so the id the gateway sees is whatever the normalised path carries there.
 */
const checkRawPathField = async (field: PathField, id: string): Promise<void> => {
  const url = field.route.replace(`{${field.param}}`, id);
  let sentPath: string;
  try {
    sentPath = new URL(`${gw.url}${url}`).pathname;
  } catch {
    return; // fetch cannot send it at all
  }
  const match = matchRoute(routes, field.method, sentPath);
  const arrived = match.kind === 'found' && match.route.entry.operation.name === field.op ? decodeOnce(match.pathParams[field.param]!) : undefined;
  const http = await observe(() => gw.call(field.method, url, { body: field.body }));
  expectHttpAnswer(http.reply, `HTTP raw ${field.method} ${JSON.stringify(url)} (sent as ${sentPath})`, { field: `path.${field.param}`, seen: http.seen });
  expectOnlyIntendedPaths(http.seen, arrived === undefined ? {} : field.intended(arrived), `HTTP raw ${JSON.stringify(url)} (sent as ${sentPath})`);
};

describe.each(PATH_FIELDS.map((field) => [field.op, field] as const))('%s: hostile path id', (_op, field) => {
  it.each(CASES)('$name never leaves its path segment', async ({ id }) => {
    await checkPathField(field, id);
    await checkRawPathField(field, id);
  });
});

interface BodyField {
  op: string;
  method: string;
  path: string;
  field: string;
  body: (id: string) => Record<string, unknown>;
  intended: Intended;
  /** The value as the vendor received it, to compare with the id that was sent. */
  atVendor: (body: any) => unknown;
}

const BODY_FIELDS: BodyField[] = [
  {
    op: 'chargeapi.detachDriver', method: 'POST', path: '/v1/providers/chargeapi/drivers/drv_susan/detach', field: 'fleet',
    body: (id) => ({ fleet: id }), intended: { chargeapi: '/v1/drivers/drv_susan/detach' }, atVendor: (body) => body?.fleet,
  },
  {
    op: 'focus.updateDriver', method: 'POST', path: '/v1/providers/focus/drivers/update', field: 'identifiers.driver_number',
    body: (id) => ({ identifiers: { driver_number: id }, driver: { city: 'Scranton' } }), intended: { focus: vendorPath.focus() }, atVendor: (body) => body?.identifiers?.driver_number,
  },
];

describe.each(BODY_FIELDS.map((field) => [`${field.op} ${field.field}`, field] as const))('%s: hostile body id', (_name, field) => {
  it.each(CASES)('$name reaches the vendor unchanged or not at all', async ({ id }) => {
    const http = await observe(() => gw.call(field.method, field.path, { body: field.body(id) }));
    expectHttpAnswer(http.reply, `HTTP ${field.op}`, { field: `body.${field.field}`, mustRefuse: illFormed(id), seen: http.seen });
    expectOnlyIntendedPaths(http.seen, illFormed(id) ? {} : field.intended, `HTTP ${field.op}`);
    for (const r of http.seen) expect.soft(field.atVendor(r.body), `HTTP ${field.op}: ${field.field} as the vendor received it`).toBe(id);

    const event = await observe(() => gw.event({ 'detail-type': field.op, source: SOURCE, detail: field.body(id) }));
    expectEventAnswer(event.reply, `event ${field.op}`, { field: `detail.${field.field}`, mustRefuse: illFormed(id), seen: event.seen });
    expectOnlyIntendedPaths(event.seen, illFormed(id) ? {} : field.intended, `event ${field.op}`);
    for (const r of event.seen) expect.soft(field.atVendor(r.body), `event ${field.op}: ${field.field} as the vendor received it`).toBe(id);
  });
});

// ---------------------------------------------------------------------------------------------
// Driver operations: hostile driverId, hostile ids inside links
// ---------------------------------------------------------------------------------------------

const VALID_LINKS = {
  samsara: { id: '123' },
  drivequant: { userId: 'susan-jones' },
  chargeapi: { driver: 'drv_susan', fleets: ['flt_east'] },
  focus: { identifiers: { driver_number: 'D-1001' } },
};
const VALID_PATHS: Intended = {
  samsara: vendorPath.samsara('123'),
  drivequant: vendorPath.drivequant('susan-jones'),
  chargeapi: vendorPath.chargeapi('drv_susan'),
  focus: vendorPath.focus(),
};

const FAN_OUT = [
  { op: 'drivers.setStatus', method: 'PUT', suffix: '/status', body: { status: 'inactive' } },
  { op: 'drivers.offboard', method: 'POST', suffix: '/offboard', body: {} },
  { op: 'drivers.update', method: 'PATCH', suffix: '', body: { firstName: 'Hostile', lastName: 'Id' } },
] as const;

/** PUT links, then status, offboard and update, over HTTP with `driverSegment` in the path. */
const fanOutOverHttp = async (driverSegment: string, links: unknown, intended: Intended, rules: { linksField?: string; mustRefuseLinks?: boolean; driverField?: string }) => {
  const put = await observe(() => gw.call('PUT', `/v1/drivers/${driverSegment}/links`, { body: links }));
  expectHttpAnswer(put.reply, `HTTP PUT /v1/drivers/${driverSegment}/links`, { field: rules.linksField ?? rules.driverField, mustRefuse: rules.mustRefuseLinks });
  expect.soft(put.seen, 'storing links calls no vendor').toEqual([]);
  for (const step of FAN_OUT) {
    const path = `/v1/drivers/${driverSegment}${step.suffix}`;
    const { reply, seen } = await observe(() => gw.call(step.method, path, { body: step.body }));
    expectHttpAnswer(reply, `HTTP ${step.method} ${path}`, { field: rules.driverField });
    expectOnlyIntendedPaths(seen, intended, `HTTP ${step.method} ${path}`);
  }
};

const fanOutAsEvents = async (driverId: string, links: Record<string, unknown>, intended: Intended, rules: { linksField?: string; mustRefuseLinks?: boolean; driverField?: string }) => {
  const put = await observe(() => gw.event({ 'detail-type': 'drivers.putLinks', source: SOURCE, detail: { driverId, ...links } }));
  expectEventAnswer(put.reply, 'event drivers.putLinks', { field: rules.linksField ?? rules.driverField, mustRefuse: rules.mustRefuseLinks });
  expect.soft(put.seen, 'storing links calls no vendor').toEqual([]);
  for (const step of FAN_OUT) {
    const { reply, seen } = await observe(() => gw.event({ 'detail-type': step.op, source: SOURCE, detail: { driverId, ...step.body } }));
    expectEventAnswer(reply, `event ${step.op}`, { field: rules.driverField });
    expectOnlyIntendedPaths(seen, intended, `event ${step.op}`);
  }
};

describe('drivers.*: hostile {driverId}', () => {
  it.each(CASES)('$name: links, status, offboard and update reach only the linked records', async ({ id }) => {
    const rules = { driverField: 'path.driverId', mustRefuseLinks: illFormed(id) };
    await fanOutOverHttp(encodeSegment(id), VALID_LINKS, VALID_PATHS, rules);
    await fanOutOverHttp(id, VALID_LINKS, VALID_PATHS, { driverField: 'path.driverId' });
    await fanOutAsEvents(id, VALID_LINKS, VALID_PATHS, { driverField: 'detail.driverId', mustRefuseLinks: illFormed(id) });
  });
});

interface LinkField {
  field: string;
  vendor: VendorName;
  links: (id: string) => Record<string, unknown>;
  /** The hostile vendor's intended path. */
  path: (id: string) => string;
}

const LINK_FIELDS: LinkField[] = [
  { field: 'samsara.id', vendor: 'samsara', links: (id) => ({ ...VALID_LINKS, samsara: { id } }), path: vendorPath.samsara },
  { field: 'drivequant.userId', vendor: 'drivequant', links: (id) => ({ ...VALID_LINKS, drivequant: { userId: id } }), path: vendorPath.drivequant },
  { field: 'chargeapi.driver', vendor: 'chargeapi', links: (id) => ({ ...VALID_LINKS, chargeapi: { driver: id, fleets: ['flt_east'] } }), path: vendorPath.chargeapi },
  { field: 'chargeapi.fleets', vendor: 'chargeapi', links: (id) => ({ ...VALID_LINKS, chargeapi: { driver: 'drv_susan', fleets: [id] } }), path: () => vendorPath.chargeapi('drv_susan') },
  { field: 'focus.identifiers.driver_number', vendor: 'focus', links: (id) => ({ ...VALID_LINKS, focus: { identifiers: { driver_number: id } } }), path: vendorPath.focus },
];

describe.each(LINK_FIELDS.map((field, index) => [field.field, field, index] as const))('links %s: hostile id', (_name, field, fieldIndex) => {
  it.each(CASES)('$name: stored or refused, the fan-out only ever calls the intended paths', async ({ id, index }) => {
    const intended: Intended = { ...VALID_PATHS, ...(illFormed(id) ? { [field.vendor]: undefined } : { [field.vendor]: field.path(id) }) };
    const links = field.links(id);
    // A fresh driver per case, so a refused PUT can never leave an earlier case's links behind.
    await fanOutOverHttp(`HL-${fieldIndex}-${index}-h`, links, intended, { linksField: `body.${field.field}`, mustRefuseLinks: illFormed(id) });
    await fanOutAsEvents(`HL-${fieldIndex}-${index}-e`, links, intended, { linksField: `detail.${field.field}`, mustRefuseLinks: illFormed(id) });
  });
});

// ---------------------------------------------------------------------------------------------
// A stored link that predates validation
// ---------------------------------------------------------------------------------------------

describe('a legacy link item with hostile ids, written straight into DynamoDB', () => {
  beforeAll(async () => {
    const client = new DynamoDBClient({ endpoint: gw.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(
      new PutItemCommand({
        TableName: gw.dynamo.tableName,
        Item: marshall({
          pk: 'driver#LEGACY-1',
          sk: 'links',
          links: { samsara: { id: '..' }, drivequant: { userId: '\ud800' }, focus: { identifiers: { driver_number: 'D-1001' } } },
          updatedAt: '2026-01-01T00:00:00Z',
        }),
      }),
    );
    client.destroy();
  });

  const expectInvalidLinkFailure = (result: any, vendor: VendorName, where: string): void => {
    if (result === undefined) {
      expect.soft(result, `${where}: a per-vendor result for ${vendor}`).toBeDefined();
      return;
    }
    expect.soft(result.outcome, `${where}: ${vendor} outcome (${JSON.stringify(result).slice(0, 200)})`).toBe('failed');
    const is4xx = (status: unknown) => (typeof status === 'number' && status >= 400 && status < 500 ? '4xx' : status);
    expect.soft(is4xx(result.status), `${where}: ${vendor} failed with a 4xx`).toBe('4xx');
    // An HTTP answer carries the whole problem (`error`); an outcome event its summary (`problem`).
    const problem = result.error ?? result.problem;
    expect.soft(is4xx(problem?.status), `${where}: ${vendor} problem is a 4xx`).toBe('4xx');
    expect.soft(String(problem?.detail), `${where}: ${vendor} problem explains the stored link`).toMatch(/link/i);
  };

  const checkLegacy = async (label: string, run: () => Promise<Reply>, isEvent: boolean, expectFocus: boolean) => {
    const { reply, seen } = await observe(run);
    let body: any;
    const invalidCalls = seen.filter((r) => r.vendor === 'samsara' || r.vendor === 'drivequant').map((r) => `${r.vendor} received ${r.method} ${r.rawPath}`);
    expect.soft(invalidCalls.length, `${label}: Samsara and DriveQuant are never called: ${invalidCalls.join('; ')}`).toBe(0);
    if (isEvent) {
      expect.soft(reply.body.invocation, `${label}: invocation (${reply.body.error?.errorType}: ${reply.body.error?.errorMessage})`).toBe('succeeded');
      const outcome = reply.body.outcomes?.[0]?.detail;
      if (reply.body.invocation === 'succeeded') expectBelow500(outcome?.status, `${label}: outcome status`);
      body = outcome?.result;
    } else {
      expectBelow500(reply.status, `${label}: never a 5xx (got ${JSON.stringify(reply.body).slice(0, 200)})`);
      body = reply.body;
    }
    if (!body?.results) {
      expect.soft(body?.results, `${label}: per-vendor results`).toBeDefined();
      return body;
    }
    if (expectFocus) {
      expect.soft(seen.filter((r) => r.vendor === 'focus').map((r) => r.rawPath), `${label}: Focus (valid link) still gets its update`).toEqual([vendorPath.focus()]);
      expect.soft(body?.results?.focus?.outcome, `${label}: focus result`).toBe('succeeded');
    }
    return body;
  };

  it('PATCH /v1/drivers/LEGACY-1: Focus is updated; Samsara fails alone with a 4xx about its link; nothing calls a collapsed path', async () => {
    const update = { firstName: 'A', lastName: 'B', email: 'a@b.co' };
    for (const [label, run, isEvent] of [
      ['HTTP PATCH', () => gw.call('PATCH', '/v1/drivers/LEGACY-1', { body: update }), false],
      ['event drivers.update', () => gw.event({ 'detail-type': 'drivers.update', source: SOURCE, detail: { driverId: 'LEGACY-1', ...update } }), true],
    ] as const) {
      const body = await checkLegacy(label, run, isEvent, true);
      if (!body?.results) continue;
      expectInvalidLinkFailure(body?.results?.samsara, 'samsara', label);
      // DriveQuant takes none of these fields, but its stored link is checked first: failed on it, never called.
      expectInvalidLinkFailure(body?.results?.drivequant, 'drivequant', label);
    }
  });

  it('PUT /v1/drivers/LEGACY-1/status inactive: no 5xx; Samsara and DriveQuant each fail with a 4xx about their link', async () => {
    for (const [label, run, isEvent] of [
      ['HTTP PUT status', () => gw.call('PUT', '/v1/drivers/LEGACY-1/status', { body: { status: 'inactive' } }), false],
      ['event drivers.setStatus', () => gw.event({ 'detail-type': 'drivers.setStatus', source: SOURCE, detail: { driverId: 'LEGACY-1', status: 'inactive' } }), true],
    ] as const) {
      const body = await checkLegacy(label, run, isEvent, false);
      if (!body?.results) continue;
      expectInvalidLinkFailure(body?.results?.samsara, 'samsara', label);
      expectInvalidLinkFailure(body?.results?.drivequant, 'drivequant', label);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any string as the path id of every vendor operation
// ---------------------------------------------------------------------------------------------

const arbitraryId = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(...BATTERY),
  fc.stringMatching(/^[.%/\\?#]{1,4}$/),
);

/** Like the checks above, but throwing, so fast-check can shrink to the smallest failing id. */
const assertPathId = async (field: PathField, id: string): Promise<void> => {
  const url = field.route.replace(`{${field.param}}`, encodeSegment(id));
  const http = await observe(() => gw.call(field.method, url, { body: field.body }));
  const event = await observe(() => gw.event({ 'detail-type': field.op, source: SOURCE, detail: { [field.param]: id, ...field.body } }));
  const intended = field.intended(id);
  const wrong = [...http.seen, ...event.seen].filter((r) => r.rawPath !== intended[r.vendor] || r.path !== intended[r.vendor]).map((r) => `${r.vendor} received ${r.rawPath}`);
  expect(http.reply.status, `HTTP ${url}`).toBeLessThan(500);
  expect(event.reply.body.invocation, `event: ${event.reply.body.error?.errorType}: ${event.reply.body.error?.errorMessage}`).toBe('succeeded');
  expect(event.reply.body.outcomes?.[0]?.detail.status).toBeLessThan(500);
  expect(wrong.length, `${wrong.join('; ')}; intended ${JSON.stringify(intended)}`).toBe(0);
  if (illFormed(id)) {
    expect(http.reply.status).toBe(400);
    expect(event.reply.body.outcomes?.[0]?.detail.status).toBe(400);
  }
};

describe('property: any id', () => {
  it.each(PATH_FIELDS.map((field) => [field.op, field] as const))('%s: never a 5xx or failed invocation, every vendor path exactly the intended one', async (_op, field) => {
    await fc.assert(
      fc.asyncProperty(arbitraryId, (id) => assertPathId(field, id)),
      { numRuns: 60, seed: 20_260_101, endOnFailure: true },
    );
  });
});
