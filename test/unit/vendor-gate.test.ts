/**
 * The fleet-wide gate against a real DynamoDB API (dynalite): several gates play several Lambda
 * instances, each with its own module state, sharing only the table, as in AWS. What a vendor
 * sees is observed on a loopback server; the rest at the gate's boundary (admitted, refused with
 * which problem, which metrics) and in the shared item.
 */
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAwsClients } from '../../functions/core/aws-clients';
import { createLogger, setLogSink } from '../../functions/core/logger';
import { setMetricSink } from '../../functions/core/metrics';
import { Problem } from '../../functions/core/problem';
import { sleep } from '../../functions/core/retry';
import { createVendorGate, MAX_PAUSE_MS, type Admission } from '../../functions/core/vendor-gate';
import { readGate } from '../../functions/core/vendor-gate-store';
import { sendWithRetries } from '../../functions/core/vendor-http';
import { startDynamo, type LocalDynamo } from '../../local/dynamodb-local';

let dynamo: LocalDynamo;
let vendorServer: Server;
let vendorUrl = '';
/** When each request reached the vendor (ms, performance clock). */
let arrivals: number[] = [];
let metrics: string[] = [];
let logs: string[] = [];
const log = createLogger();
const limits = (ms = 5_000) => ({ deadline: Date.now() + ms, attemptTimeoutMs: 100 });

const env = (values: Record<string, string>) => {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
};

beforeAll(async () => {
  dynamo = await startDynamo();
  vendorServer = createServer((_req, res) => {
    arrivals.push(performance.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => vendorServer.listen(0, '127.0.0.1', resolve));
  vendorUrl = `http://127.0.0.1:${(vendorServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => vendorServer.close(() => resolve()));
  await dynamo.stop();
});
beforeEach(async () => {
  arrivals = [];
  metrics = [];
  logs = [];
  setMetricSink((line) => metrics.push(line));
  setLogSink((line) => logs.push(line));
  env({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    TABLE_NAME: dynamo.tableName,
    VENDOR_CIRCUIT_THRESHOLD: '3',
    VENDOR_CIRCUIT_COOLDOWN_MS: '200',
    SAMSARA_RATE_PER_SECOND: '0',
  });
  resetAwsClients();
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(new DeleteItemCommand({ TableName: dynamo.tableName, Key: { pk: { S: 'vendor#samsara' }, sk: { S: 'gate' } } }));
  client.destroy();
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetAwsClients();
});

/** DynamoDB behind a delay: every request answered `ms` later, as from a store under load. */
const slowProxy = async (target: string, ms: number) => {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => {
        const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.on('error', () => res.destroy());
        forward.end(Buffer.concat(chunks));
      }, ms);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
};

const refusal = async (promise: Promise<unknown>): Promise<Problem> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Problem);
  return error as Problem;
};
/** Writes the vendor's item as someone else might have: by hand, with the wrong types. */
const putRaw = async (item: Record<string, AttributeValue>) => {
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: { pk: { S: 'vendor#samsara' }, sk: { S: 'gate' }, ...item } }));
  client.destroy();
};
const count = (metric: string) => metrics.filter((line) => line.includes(`"${metric}":1`)).length;
const instances = (n: number) => Array.from({ length: n }, () => createVendorGate());

describe('one budget for the fleet', () => {
  it('four instances calling at once reach the vendor one interval apart, never faster than the rate', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '20' }); // one slot every 50 ms
    const policy = { attemptTimeoutMs: 1_000, budgetMs: 5_000, maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 };
    // Each instance runs one call at a time, as a Lambda instance does.
    await Promise.all(
      instances(4).map(async (gate) => {
        for (let i = 0; i < 5; i += 1) {
          await sendWithRetries({ vendor: 'samsara', method: 'GET', url: `${vendorUrl}/x`, headers: {} }, { policy, deadline: Date.now() + 5_000, retrySafe: true, log, gate });
        }
      }),
    );
    expect(arrivals).toHaveLength(20);
    // A call goes at its slot or a little later (its store request, its connection), never earlier: any
    // 500 ms holds at most 500 / 50 + 1 requests. Four per-instance budgets of 20/s would send ~40.
    const busiest = Math.max(...arrivals.map((at) => arrivals.filter((other) => other >= at && other < at + 500).length));
    expect(busiest).toBeLessThanOrEqual(11);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(19 * 50 - 50);
  });

  it('instances racing for an idle vendor all get a slot: none is refused for losing a race', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '50' });
    const fleet = instances(5);
    for (let round = 0; round < 5; round += 1) {
      const tries = await Promise.allSettled(fleet.flatMap((gate) => Array.from({ length: 2 }, () => gate.admit('samsara', limits()))));
      expect(tries.filter((result) => result.status === 'rejected')).toEqual([]);
      await sleep(200); // idle again
    }
  });

  it('with a slow store (60 ms a request, slots 10 ms apart) racing instances still all get a slot', async () => {
    const slow = await slowProxy(dynamo.url, 60);
    try {
      env({ SAMSARA_RATE_PER_SECOND: '100', AWS_ENDPOINT_URL_DYNAMODB: slow.url });
      resetAwsClients();
      const fleet = instances(6);
      const tries = await Promise.allSettled(
        fleet.map(async (gate) => {
          for (let i = 0; i < 4; i += 1) await gate.admit('samsara', limits());
        }),
      );
      expect(tries.filter((result) => result.status === 'rejected')).toEqual([]);
      // Many calls at once in one instance (as in a fan-out burst) share its hint, not its rounds.
      const [busyInstance] = instances(1);
      await sleep(100);
      const together = await Promise.allSettled(Array.from({ length: 20 }, () => busyInstance!.admit('samsara', limits())));
      expect(together.filter((result) => result.status === 'rejected')).toEqual([]);
    } finally {
      await slow.stop();
    }
  });

  it('a slot later than the call can wait is not taken: refused at once with Retry-After, and the refusal spends nothing', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '2', VENDOR_QUEUE_MS: '600' }); // one slot every 500 ms
    const [a, b] = instances(2);
    await a!.admit('samsara', limits());
    const before = (await readGate('samsara')).tat!;
    const waiting = b!.admit('samsara', limits()); // the slot 500 ms on: it waits
    await sleep(20);
    const started = Date.now();
    const refused = await refusal(a!.admit('samsara', limits())); // the slot 1000 ms on: beyond its 600 ms
    expect(Date.now() - started).toBeLessThan(400);
    expect(refused).toMatchObject({ type: 'vendor-rate-limited', status: 503, options: { vendor: { name: 'samsara' }, retryAfter: 1 } });
    expect((await readGate('samsara')).tat).toBe(before + 500);
    await waiting;
  });

  it("a vendor's 429 pauses every instance until its Retry-After is over", async () => {
    env({ SAMSARA_RATE_PER_SECOND: '100' });
    const [seen, other] = instances(2);
    const admission = await seen!.admit('samsara', limits());
    await seen!.settle(admission, { kind: 'busy', pauseMs: 300 }, log);
    const started = Date.now();
    await other!.admit('samsara', limits());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a Retry-After of a day pauses the fleet for 30 s at most', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '100' });
    const [gate] = instances(1);
    const before = Date.now();
    await gate!.settle(await gate!.admit('samsara', limits()), { kind: 'busy', pauseMs: 86_400_000 }, log);
    const { tat, pausedUntil } = await readGate('samsara');
    expect(pausedUntil).toBe(tat);
    expect(tat! - before).toBeGreaterThanOrEqual(MAX_PAUSE_MS);
    expect(tat! - Date.now()).toBeLessThanOrEqual(MAX_PAUSE_MS);
    expect(MAX_PAUSE_MS).toBe(30_000);
  });

  it('a call already waiting for its slot when the pause began waits for the pause too, behind it', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '5' }); // one slot every 200 ms
    const [first, queued, seen] = instances(3);
    await first!.admit('samsara', limits());
    const started = Date.now();
    const waiting = queued!.admit('samsara', limits()); // slot 200 ms on
    await sleep(20);
    const admission: Admission = { vendor: 'samsara', settings: { rate: 5, threshold: 3, cooldownMs: 200, queueMs: 5_000 }, failuresSeen: 0 };
    await seen!.settle(admission, { kind: 'busy', pauseMs: 500 }, log);
    await waiting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});

describe('one circuit for the fleet', () => {
  const fail = async (gate: ReturnType<typeof createVendorGate>, times: number) => {
    for (let i = 0; i < times; i += 1) await gate.settle(await gate.admit('samsara', limits()), { kind: 'unhealthy' }, log);
  };

  it('failed attempts count across instances; at the threshold every instance refuses at once, and one opened it', async () => {
    const [a, b, c] = instances(3);
    await fail(a!, 2);
    await fail(b!, 1);
    const refused = await refusal(c!.admit('samsara', limits()));
    expect(refused).toMatchObject({ type: 'vendor-circuit-open', status: 503, options: { vendor: { name: 'samsara' }, retryAfter: 1 } });
    await refusal(a!.admit('samsara', limits()));
    expect(count('VendorCircuitOpen')).toBe(1);
  });

  it('an instance that has seen the circuit open refuses until the cooldown ends without asking the table', async () => {
    env({ VENDOR_CIRCUIT_COOLDOWN_MS: '10000' });
    const [a, b] = instances(2);
    await fail(a!, 3);
    await refusal(b!.admit('samsara', limits())); // b learns of it from the table
    // With the table unreachable, b still answers circuit-open (not store-unavailable); a fresh instance cannot.
    env({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' });
    resetAwsClients();
    expect(await refusal(b!.admit('samsara', limits()))).toMatchObject({ type: 'vendor-circuit-open' });
    expect(await refusal(createVendorGate().admit('samsara', limits()))).toMatchObject({ type: 'store-unavailable' });
  });

  it('a success between failures starts the count again: only consecutive failures open it', async () => {
    const [a, b] = instances(2);
    await fail(a!, 2);
    await b!.settle(await b!.admit('samsara', limits()), { kind: 'healthy' }, log);
    await fail(a!, 2);
    // A 429 is a vendor that answers: it resets the count as a success does.
    await a!.settle(await a!.admit('samsara', limits()), { kind: 'busy', pauseMs: 1 }, log);
    await fail(a!, 2);
    await b!.admit('samsara', limits());
    expect(count('VendorCircuitOpen')).toBe(0);
    await fail(a!, 1);
    await refusal(b!.admit('samsara', limits()));
    expect(count('VendorCircuitOpen')).toBe(1);
  });

  it('after the cooldown exactly one probe goes, fleet-wide; its success closes the circuit for every instance', async () => {
    const fleet = instances(5);
    await fail(fleet[0]!, 3);
    await sleep(250);
    const tries = await Promise.allSettled(fleet.map((gate) => gate.admit('samsara', limits())));
    const probes = tries.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(probes).toHaveLength(1);
    expect(probes[0]!.probe).toEqual(expect.any(String));
    for (const result of tries) if (result.status === 'rejected') expect(result.reason).toMatchObject({ type: 'vendor-circuit-open' });
    const prober = fleet[tries.findIndex((result) => result.status === 'fulfilled')]!;
    await prober.settle(probes[0]!, { kind: 'healthy' }, log);
    expect(count('VendorCircuitClosed')).toBe(1);
    for (const gate of fleet) expect((await gate.admit('samsara', limits())).probe).toBeUndefined();
    expect(await readGate('samsara')).toMatchObject({ failures: 0 });
  });

  it('a failed probe reopens it; a probe that never reports (its instance died) loses its lease to another', async () => {
    const [a, b, c] = instances(3);
    await fail(a!, 3);
    await sleep(250);
    const probe = await a!.admit('samsara', limits());
    await a!.settle(probe, { kind: 'unhealthy' }, log);
    expect(count('VendorCircuitOpen')).toBe(2);
    await refusal(b!.admit('samsara', limits()));
    await sleep(250);
    await b!.admit('samsara', { deadline: Date.now() + 5_000, attemptTimeoutMs: 50 }); // b's probe; b dies here
    await refusal(c!.admit('samsara', limits()));
    await sleep(1_100); // its lease: the attempt timeout + 1 s
    const next = await c!.admit('samsara', limits());
    expect(next.probe).toEqual(expect.any(String));
    await c!.settle(next, { kind: 'healthy' }, log);
    await a!.admit('samsara', limits());
  });

  it('a call that waited for its slot does not go once the circuit opened meanwhile', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '5' });
    const [first, queued, failing] = instances(3);
    await first!.admit('samsara', limits());
    const waiting = refusal(queued!.admit('samsara', limits())); // slot 200 ms on
    await sleep(20);
    const admission: Admission = { vendor: 'samsara', settings: { rate: 5, threshold: 3, cooldownMs: 10_000, queueMs: 5_000 }, failuresSeen: 0 };
    for (let i = 0; i < 3; i += 1) await failing!.settle(admission, { kind: 'unhealthy' }, log);
    expect(await waiting).toMatchObject({ type: 'vendor-circuit-open' });
  });
});

describe('the store behind the gate', () => {
  it('an unreachable store refuses the call as store-unavailable (nothing sent, not the vendor’s fault); a lost outcome is logged, not thrown', async () => {
    env({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' });
    resetAwsClients();
    const gate = createVendorGate();
    const refused = await refusal(gate.admit('samsara', limits()));
    expect(refused).toMatchObject({ type: 'store-unavailable', status: 503 });
    expect(refused.options.vendor).toBeUndefined();
    const admission: Admission = { vendor: 'samsara', settings: { rate: 0, threshold: 3, cooldownMs: 200, queueMs: 5_000 }, failuresSeen: 0 };
    await gate.settle(admission, { kind: 'unhealthy' }, log);
    expect(logs.some((line) => line.includes('vendor gate not updated'))).toBe(true);
  });

  it('with no rate and no circuit the gate never touches the store', async () => {
    env({ VENDOR_CIRCUIT_THRESHOLD: '0', TABLE_NAME: '' });
    const gate = createVendorGate();
    const admission = await gate.admit('samsara', limits());
    await gate.settle(admission, { kind: 'unhealthy' }, log);
    expect(logs).toEqual([]);
  });
});

/** Found by a hostile review of the first version; each failed on it. */
describe('edges of the fleet-wide gate', () => {
  it('VENDOR_CIRCUIT_THRESHOLD=0 switches the circuit off even when one was left open', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '100' });
    const [a, b] = instances(2);
    for (let i = 0; i < 3; i += 1) await a!.settle(await a!.admit('samsara', limits()), { kind: 'unhealthy' }, log);
    env({ VENDOR_CIRCUIT_THRESHOLD: '0' });
    for (let i = 0; i < 4; i += 1) {
      const admission = await b!.admit('samsara', limits());
      expect(admission.probe).toBeUndefined();
      await b!.settle(admission, { kind: 'healthy' }, log);
    }
    env({ SAMSARA_RATE_PER_SECOND: '0' });
    expect((await b!.admit('samsara', limits())).probe).toBeUndefined();
  });

  it('only consecutive failures open it, also when calls overlap: fail, succeed, fail, succeed, fail, succeed does not', async () => {
    const fleet = instances(6);
    const admissions = await Promise.all(fleet.map((gate) => gate.admit('samsara', limits())));
    for (const [i, gate] of fleet.entries()) await gate.settle(admissions[i]!, { kind: i % 2 === 0 ? 'unhealthy' : 'healthy' }, log);
    expect(count('VendorCircuitOpen')).toBe(0);
    await fleet[0]!.admit('samsara', limits());
  });

  it('an item with a budget that is not a number is repaired, not obeyed: calls go on', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '100' });
    await putRaw({ tat: { S: 'oops' } });
    const [gate] = instances(1);
    await gate!.admit('samsara', limits());
    await gate!.admit('samsara', limits());
    expect(typeof (await readGate('samsara')).tat).toBe('number');
  });

  it('an item whose failure count is not a number is repaired, and failures open the circuit again', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '100' });
    await putRaw({ failures: { S: '0' } });
    const [gate] = instances(1);
    for (let i = 0; i < 3; i += 1) await gate!.settle(await gate!.admit('samsara', limits()), { kind: 'unhealthy' }, log);
    expect(count('VendorCircuitOpen')).toBe(1);
  });

  it('a timeout our own deadline cut short says nothing about the vendor: a healthy but slow vendor is not opened on', async () => {
    const slowVendor = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 300);
    });
    await new Promise<void>((resolve) => slowVendor.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slowVendor.address() as AddressInfo).port}/x`;
    try {
      const policy = { attemptTimeoutMs: 2_000, budgetMs: 5_000, maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 };
      for (const gate of instances(3)) {
        await sendWithRetries({ vendor: 'samsara', method: 'GET', url, headers: {} }, { policy, deadline: Date.now() + 150, retrySafe: true, log, gate }).catch(() => undefined);
      }
      expect(count('VendorCircuitOpen')).toBe(0);
      // A timeout within the attempt's own time still counts.
      const short = { ...policy, attemptTimeoutMs: 100 };
      for (const gate of instances(3)) {
        await sendWithRetries({ vendor: 'samsara', method: 'GET', url, headers: {} }, { policy: short, deadline: Date.now() + 2_000, retrySafe: true, log, gate }).catch(() => undefined);
      }
      expect(count('VendorCircuitOpen')).toBe(1);
    } finally {
      slowVendor.closeAllConnections();
      await new Promise<void>((resolve) => slowVendor.close(() => resolve()));
    }
  });

  it('an unpaced vendor (rate 0) is never refused for budget, however many call at once', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '0', VENDOR_QUEUE_MS: '0' });
    const fleet = instances(8);
    for (let round = 0; round < 5; round += 1) {
      const tries = await Promise.allSettled(fleet.flatMap((gate) => [gate.admit('samsara', limits()), gate.admit('samsara', limits())]));
      expect(tries.filter((result) => result.status === 'rejected')).toEqual([]);
    }
  });

  it('a probe taken early whose lease ran out before it was sent is not sent: another probe holds the circuit', async () => {
    const [a, b] = instances(2);
    for (let i = 0; i < 3; i += 1) await a!.settle(await a!.admit('samsara', limits()), { kind: 'unhealthy' }, log);
    await sleep(250);
    const early = await a!.admit('samsara', { deadline: Date.now() + 5_000, attemptTimeoutMs: 50 });
    expect(early.probe).toEqual(expect.any(String));
    await sleep(1_100); // its lease (50 ms + 1 s) runs out, e.g. during a slow secret read
    expect((await b!.admit('samsara', limits())).probe).toEqual(expect.any(String));
    const policy = { attemptTimeoutMs: 50, budgetMs: 5_000, maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 };
    const late = sendWithRetries({ vendor: 'samsara', method: 'GET', url: `${vendorUrl}/x`, headers: {} }, { policy, deadline: Date.now() + 2_000, retrySafe: true, log, gate: a!, firstAdmission: Promise.resolve(early) });
    expect(await refusal(late)).toMatchObject({ type: 'vendor-circuit-open' });
    expect(arrivals).toEqual([]);
  });

  it('a waiting admission that is abandoned (its secret could not be read) rejects at once', async () => {
    env({ SAMSARA_RATE_PER_SECOND: '1' });
    const [gate] = instances(1);
    await gate!.admit('samsara', limits());
    const abandon = new AbortController();
    const waiting = gate!.admit('samsara', { ...limits(), signal: abandon.signal });
    await sleep(50);
    const started = Date.now();
    abandon.abort(new Error('no secret'));
    await expect(waiting).rejects.toThrow('no secret');
    expect(Date.now() - started).toBeLessThan(200);
  });
});

