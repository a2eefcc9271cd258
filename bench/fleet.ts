/**
 * Fleet: N separate processes as N Lambda instances (samsara.updateDriver and drivers.update
 * alternately, so two functions call the same vendor), one shared Samsara simulator enforcing its
 * limits, one shared dynalite, one Secrets Manager/EventBridge fake — all on loopback. Measures
 * whether the fleet-wide budget and circuit hold when many instances share a vendor.
 *
 * Scaled down: 2 cores cannot drive Samsara's 150 req/s through 40 processes, so the simulator
 * enforces FLEET_SAMSARA_LIMIT per token (default 15 req/s, 10× less) and 4/3 of it per
 * organisation (20, as 200 is to 150), and the fleet's budget is 95 % of the per-token limit
 * (SAMSARA_RATE_PER_SECOND, as the deployed default is 95 % of 150). The circuit's cooldown is 5 s
 * instead of 30 s so recovery fits in the run. Per N: load above the limit, the gate's overhead
 * (light load with the gate on, then off), and the breaker; at one N, another integration of the
 * operator's uses part of the organisation's limit with its own token.
 * Not a test: it reports the goals; it fails only when the harness breaks (an instance crashed).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startAwsFake } from '../local/aws-fake';
import { startDynamo } from '../local/dynamodb-local';
import { localFunctionEnv } from '../local/function-env';
import { loadLocalSecrets } from '../local/secrets-file';
import { startSimulators } from '../local/simulators';
import type { RecordedRequest } from '../local/simulators/server';
import type { Command, FleetFunction, OpLine } from './fleet/instance';
import { report } from './report';

const TINY = Boolean(process.env.BENCH_TINY);
const LIMIT = Number(process.env.FLEET_SAMSARA_LIMIT ?? 15);
const DOCUMENTED_LIMIT = 150;
const ORG_LIMIT = (LIMIT * 200) / DOCUMENTED_LIMIT;
/** The operator's other Samsara integration, in the shared-organisation phase: its own token, its own rate. */
const OTHER_TOKEN = 'other-integration-token';
const OTHER_RATE = Number(process.env.FLEET_OTHER_RATE ?? ORG_LIMIT * 0.6);
/** The other integration starts this much earlier, so the organisation's bucket is no longer full when we start. */
const OTHER_HEAD_START_MS = 2_000;
const ORG_PHASE_SIZE = Number(process.env.FLEET_ORG_SIZE ?? (TINY ? 2 : 10));
/** Light load for the overhead phases: well under the budget, so no call waits for a slot. */
const LIGHT_OPS = Math.max(1, LIMIT / 3);
const GATE_OFF = { SAMSARA_RATE_PER_SECOND: '0', VENDOR_CIRCUIT_THRESHOLD: '0' };
/**
 * The gate on at the deployed rate (slots 7 ms apart, not the scaled 70 ms): at this light load no
 * call then waits for a slot, and what is left is the cost of the store requests themselves.
 */
const GATE_ON_DEPLOYED_RATE = { SAMSARA_RATE_PER_SECOND: String(DOCUMENTED_LIMIT * 0.95) };
const FLEET_SIZES = (process.env.FLEET_SIZES ?? (TINY ? '1,2' : '1,4,10,20,40')).split(',').map(Number);
/** Offered load, fleet-wide: twice the limit, so pacing (not demand) decides what the vendor sees. */
const OFFERED = LIMIT * Number(process.env.FLEET_OVERLOAD ?? 2);
const LOAD_MS = Number(process.env.FLEET_LOAD_MS ?? (TINY ? 2_000 : 8_000));
const CIRCUIT_THRESHOLD = 5;
const COOLDOWN_MS = Number(process.env.FLEET_COOLDOWN_MS ?? (TINY ? 2_000 : 5_000));
/** Bounds of every wait, so a stuck instance ends the run instead of hanging it. */
const READY_TIMEOUT_MS = 240_000;
const FAULT_MAX_MS = TINY ? 4_000 : 10_000;
const RECOVERY_MAX_MS = COOLDOWN_MS + (TINY ? 4_000 : 8_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const pct = (part: number, whole: number): string => (whole === 0 ? '–' : `${round((part / whole) * 100)}%`);

/** A loopback pass-through in front of dynalite that counts requests: DynamoDB calls per operation. */
const startCountingProxy = async (target: string): Promise<{ url: string; count: () => number; byKind: () => Record<string, number>; reset: () => void; stop: () => Promise<void> }> => {
  const upstream = new URL(target);
  let requests = 0;
  let kinds: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    requests += 1;
    const kind = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => requests,
    byKind: () => ({ ...kinds }),
    reset: () => {
      requests = 0;
      kinds = {};
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

const secrets = loadLocalSecrets();
const simulators = await startSimulators({ credentials: secrets, rateLimits: `samsara=${LIMIT}`, orgRateLimits: `samsara=${ORG_LIMIT}`, otherSamsaraTokens: [OTHER_TOKEN] });
const samsara = simulators.simulators.samsara;
const aws = await startAwsFake({ secrets: Object.fromEntries(Object.entries(secrets).map(([vendor, value]) => [`driver-gateway/${vendor}`, value])) });
const dynamo = await startDynamo();
const dynamoCounter = await startCountingProxy(dynamo.url);

/** What local/runner.ts gives the functions, pointed at the shared loopback services (DynamoDB through the counter). */
const instanceEnv = (index: number, fn: FleetFunction): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...localFunctionEnv({ awsUrl: aws.url, dynamoUrl: dynamoCounter.url, tableName: dynamo.tableName, vendorUrls: simulators.urls }),
  MASS_CHANGE_LIMIT: '0',
  // The deployed default paces at 95 % of the documented limit; scaled the same way.
  SAMSARA_RATE_PER_SECOND: String(LIMIT * 0.95),
  VENDOR_CIRCUIT_THRESHOLD: String(CIRCUIT_THRESHOLD),
  VENDOR_CIRCUIT_COOLDOWN_MS: String(COOLDOWN_MS),
  FLEET_INSTANCE: String(index),
  FLEET_FUNCTION: fn,
});

interface Instance {
  index: number;
  child: ChildProcessWithoutNullStreams;
  ready: boolean;
  done: Set<string>;
  exited: boolean;
}

/** N instance processes and everything they have reported. Any unexpected exit is a harness failure. */
class Fleet {
  readonly instances: Instance[] = [];
  readonly ops: OpLine[] = [];
  crashed: string | undefined;
  private closing = false;

  constructor(size: number) {
    const script = fileURLToPath(new URL('./fleet/instance.ts', import.meta.url));
    for (let index = 0; index < size; index += 1) {
      const fn: FleetFunction = index % 2 === 0 ? 'samsara-update-driver' : 'drivers-update';
      const child = spawn(process.execPath, ['--import', 'tsx', script], { env: instanceEnv(index, fn), stdio: 'pipe' });
      const instance: Instance = { index, child, ready: false, done: new Set(), exited: false };
      this.instances.push(instance);
      createInterface({ input: child.stdout }).on('line', (line) => this.receive(instance, line));
      // A crashed instance closes its stdin: the exit handler reports it, a write must not throw first.
      child.stdin.on('error', () => undefined);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      child.on('exit', (code) => {
        instance.exited = true;
        if (!this.closing || code !== 0) this.crashed ??= `instance ${index} exited with ${code}: ${stderr.trim()}`;
      });
    }
  }

  private receive(instance: Instance, line: string): void {
    if (!line.startsWith('FLEET ')) return;
    const message = JSON.parse(line.slice('FLEET '.length)) as OpLine & { ready?: number; done?: string };
    if (message.ready !== undefined) instance.ready = true;
    else if (message.done !== undefined) instance.done.add(message.done);
    else this.ops.push(message);
  }

  send(command: Command): void {
    for (const instance of this.instances) if (!instance.exited) instance.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** Polls `condition` every 50 ms until it holds, `timeoutMs` passes or an instance crashes. */
  async until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.crashed) throw new Error(this.crashed);
      if (condition()) return true;
      await sleep(50);
    }
    return condition();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.send({ cmd: 'exit' });
    const exited = await this.until(() => this.instances.every((instance) => instance.exited), 10_000).catch(() => false);
    // Only our own children, by their pid, and only if they did not leave when asked.
    if (!exited) for (const instance of this.instances) if (!instance.exited) instance.child.kill();
  }
}

/** Starts a phase on every instance at one shared moment and waits until all report it done. */
const runPhase = async (fleet: Fleet, phase: string, untilMs: number, opsPerInstance: number, during?: (startAt: number) => Promise<void>, env?: Record<string, string>) => {
  const startAt = Date.now() + 300;
  fleet.send({ cmd: 'run', phase, startAt, opsPerSecond: opsPerInstance, untilMs, env });
  await during?.(startAt);
  const finished = await fleet.until(() => fleet.instances.every((instance) => instance.done.has(phase)), untilMs + 60_000);
  if (!finished) throw new Error(`phase ${phase}: not every instance finished within the bound`);
  return { startAt, ops: fleet.ops.filter((op) => op.phase === phase) };
};

/** Requests the vendor saw per 1-second window of [startAt, startAt + ms). */
const windows = (requests: RecordedRequest[], startAt: number, ms: number): number[] => {
  const counts = Array.from({ length: Math.floor(ms / 1000) }, () => 0);
  for (const request of requests) {
    const k = Math.floor((request.at - startAt) / 1000);
    if (k >= 0 && k < counts.length) counts[k]! += 1;
  }
  return counts;
};

/** How many times the vendor applied each operation's write (2xx to the PATCH carrying its unique value). */
const appliedCounts = (requests: RecordedRequest[]): Map<string, number> => {
  const applied = new Map<string, number>();
  for (const request of requests) {
    if (request.method !== 'PATCH' || request.status === undefined || request.status >= 300) continue;
    const body = request.body as { notes?: string; phone?: string } | undefined;
    const value = body?.notes ?? body?.phone;
    if (value) applied.set(value, (applied.get(value) ?? 0) + 1);
  }
  return applied;
};

/** How the operations that did not end 200 ended: `503 vendor-rate-limited ×4, …`. */
const problemCounts = (ops: OpLine[]): string => {
  const counts: Record<string, number> = {};
  for (const op of ops.filter((candidate) => candidate.status !== 200)) {
    const key = `${op.status} ${op.problem ?? ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.entries(counts).map(([key, count]) => `${key} ×${count}`).join(', ') || '–';
};

const loadRow = async (fleet: Fleet, size: number, unloadedP50: number) => {
  simulators.reset();
  dynamoCounter.reset();
  const { startAt, ops } = await runPhase(fleet, `load${size}`, LOAD_MS, OFFERED / size);
  const requests = [...samsara.requests];
  // The span runs until the last answer: operations started before the end finish after it.
  const spanMs = Math.max(LOAD_MS, ...ops.map((op) => op.endedAt - startAt));
  const counts = windows(requests, startAt, spanMs);
  const accepted = requests.filter((r) => r.status !== undefined && r.status < 300).length;
  const applied = appliedCounts(requests);
  const latencies = ops.map((op) => op.endedAt - op.startedAt);
  const once = ops.filter((op) => applied.get(op.value) === 1).length;
  const twice = ops.filter((op) => (applied.get(op.value) ?? 0) >= 2).length;
  const never = ops.filter((op) => !applied.has(op.value)).length;
  const p50 = percentile(latencies, 50);
  return {
    N: size,
    'offered op/s': round(OFFERED),
    ops: ops.length,
    '200': ops.filter((op) => op.status === 200).length,
    '503': ops.filter((op) => op.status === 503).length,
    other: ops.filter((op) => op.status !== 200 && op.status !== 503).length,
    'vendor calls': requests.length,
    'max req/s (1 s)': Math.max(0, ...counts),
    'mean req/s': round(requests.length / (spanMs / 1000)),
    'limit req/s': LIMIT,
    'windows >1% over': counts.filter((count) => count > LIMIT * 1.01).length,
    '429s': samsara.rateLimited(),
    '429 share': pct(samsara.rateLimited(), requests.length),
    'throughput / limit': pct(accepted / (spanMs / 1000), LIMIT),
    'applied once': once,
    'applied twice+': twice,
    'never applied': never,
    'lost (200, never applied)': ops.filter((op) => op.status === 200 && !applied.has(op.value)).length,
    'DynamoDB req/op': ops.length ? round(dynamoCounter.count() / ops.length, 2) : 0,
    'p50 ms': p50,
    'p99 ms': percentile(latencies, 99),
    'added p50 ms': round(p50 - unloadedP50),
    seconds: round(spanMs / 1000),
    problems: problemCounts(ops),
  };
};

/**
 * Samsara answers 500 to everything until every instance has answered "circuit open" at least once
 * (the fleet has stopped calling) or FAULT_MAX_MS passes; then it recovers, and we wait (bounded)
 * for a success from every instance.
 */
const breakerRow = async (fleet: Fleet, size: number) => {
  simulators.reset();
  const phase = `breaker${size}`;
  let clearAt = 0;
  let allOpenAt: number | undefined;
  const opened = (index: number) => fleet.ops.some((op) => op.phase === phase && op.instance === index && op.problem === 'vendor-circuit-open');
  // Resumed = the instance's circuit lets calls through again. Its first answer may still be a 429
  // refusal (the whole fleet probes at once, above the limit): that, too, means it calls Samsara again.
  const admitted = (op: OpLine) => op.status === 200 || op.problem === 'vendor-rate-limited';
  const recovered = (index: number) => fleet.ops.some((op) => op.phase === phase && op.instance === index && admitted(op) && op.endedAt >= clearAt);
  simulators.setFaults('samsara', '500:1');
  const { startAt, ops } = await runPhase(fleet, phase, FAULT_MAX_MS + RECOVERY_MAX_MS, OFFERED / size, async () => {
    if (await fleet.until(() => fleet.instances.every((instance) => opened(instance.index)), FAULT_MAX_MS + 300)) allOpenAt = Date.now();
    simulators.setFaults('samsara', '');
    clearAt = Date.now();
    await fleet.until(() => fleet.instances.every((instance) => recovered(instance.index)), RECOVERY_MAX_MS);
    fleet.send({ cmd: 'stop' });
  });
  const failing = samsara.requests.filter((request) => request.at < clearAt);
  const afterClear = ops.filter((op) => op.endedAt >= clearAt);
  const resumeMs = fleet.instances.map((instance) => {
    const first = afterClear.find((op) => op.instance === instance.index && admitted(op));
    return first === undefined ? undefined : first.endedAt - clearAt;
  });
  const resumed = resumeMs.filter((ms): ms is number => ms !== undefined);
  const succeeded = new Set(afterClear.filter((op) => op.status === 200).map((op) => op.instance));
  return {
    N: size,
    'calls to failing vendor': failing.length,
    'goal ≤': 2 * CIRCUIT_THRESHOLD,
    'per instance': round(failing.length / size, 1),
    'instances opened': fleet.instances.filter((instance) => opened(instance.index)).length,
    'ms until all open': allOpenAt === undefined ? `> ${FAULT_MAX_MS}` : allOpenAt - startAt,
    'instances resumed': resumed.length,
    'resume ms (last)': resumed.length === size ? Math.max(...resumed) : `> ${RECOVERY_MAX_MS}`,
    'resume ms (first)': resumed.length ? Math.min(...resumed) : '–',
    'instances with a 200 after': succeeded.size,
  };
};

/** Latency of one instance at a light load: the base the added latency is measured from. */
const unloadedP50 = async (fleet: Fleet): Promise<number> => {
  simulators.reset();
  const { ops } = await runPhase(fleet, 'unloaded', TINY ? 1_000 : 3_000, Math.max(1, LIMIT / 5));
  return percentile(ops.slice(1).map((op) => op.endedAt - op.startedAt), 50); // the first pays the cold start
};

/**
 * What the gate adds to a call: the same light load with the gate on (at the deployed rate, see
 * GATE_ON_DEPLOYED_RATE) and off (no budget, no circuit: no store request), alternating twice to
 * spread drift.
 */
const overheadRow = async (fleet: Fleet, size: number) => {
  const latencies: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const dynamoPerOp: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const kindsOn: Record<string, number> = {};
  let opsOn = 0;
  for (const round of [1, 2]) {
    for (const mode of ['off', 'on'] as const) {
      simulators.reset();
      dynamoCounter.reset();
      const { ops } = await runPhase(fleet, `overhead-${mode}-${size}-${round}`, TINY ? 1_000 : 3_000, LIGHT_OPS / size, undefined, mode === 'off' ? GATE_OFF : GATE_ON_DEPLOYED_RATE);
      latencies[mode].push(...ops.filter((op) => op.status === 200).map((op) => op.endedAt - op.startedAt));
      if (ops.length) dynamoPerOp[mode].push(dynamoCounter.count() / ops.length);
      if (mode === 'on') {
        opsOn += ops.length;
        for (const [kind, n] of Object.entries(dynamoCounter.byKind())) kindsOn[kind] = (kindsOn[kind] ?? 0) + n;
      }
    }
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const on = percentile(latencies.on, 50);
  const off = percentile(latencies.off, 50);
  return {
    N: size,
    'ops (on / off)': `${latencies.on.length} / ${latencies.off.length}`,
    'p50 ms gate on': on,
    'p50 ms gate off': off,
    'added p50 ms': round(on - off),
    'goal ≤ ms': 10,
    'DynamoDB req/op on': round(mean(dynamoPerOp.on), 2),
    'DynamoDB req/op off': round(mean(dynamoPerOp.off), 2),
    'per op, gate on': Object.entries(kindsOn).map(([kind, n]) => `${kind} ${round(n / Math.max(1, opsOn), 2)}`).join(', '),
  };
};

/**
 * Another integration of the operator's calls Samsara with its own token at OTHER_RATE, sharing the
 * organisation's limit: the gateway cannot see that traffic, only the 429s it causes, whose
 * Retry-After pauses the whole fleet.
 */
const organisationRow = async (fleet: Fleet, size: number) => {
  simulators.reset();
  const phase = `organisation${size}`;
  let stopOther = false;
  const otherStatuses: number[] = [];
  const other = (async () => {
    const started = Date.now();
    const ourStart = started + OTHER_HEAD_START_MS;
    for (let i = 0; !stopOther; i += 1) {
      await sleep(started + i * (1000 / OTHER_RATE) - Date.now());
      if (stopOther) break;
      const answer = await fetch(`${simulators.urls.samsara}/fleet/drivers/123`, { headers: { authorization: `Bearer ${OTHER_TOKEN}` } });
      await answer.arrayBuffer();
      if (Date.now() >= ourStart) otherStatuses.push(answer.status);
    }
  })();
  await sleep(OTHER_HEAD_START_MS);
  samsara.requests.length = 0;
  const { startAt, ops } = await runPhase(fleet, phase, LOAD_MS, OFFERED / size);
  stopOther = true;
  await other;
  // Ours write (PATCH); the other integration only reads (GET).
  const ours = samsara.requests.filter((request) => request.method === 'PATCH');
  const spanMs = Math.max(LOAD_MS, ...ops.map((op) => op.endedAt - startAt));
  const ours429 = ours.filter((request) => request.status === 429).length;
  const accepted = ours.filter((request) => request.status !== undefined && request.status < 300).length;
  const applied = appliedCounts(samsara.requests);
  return {
    N: size,
    'other integration req/s': round(OTHER_RATE),
    'organisation limit': ORG_LIMIT,
    'left for the gateway req/s': round(ORG_LIMIT - OTHER_RATE),
    ops: ops.length,
    '200': ops.filter((op) => op.status === 200).length,
    'not 200': ops.filter((op) => op.status !== 200).length,
    'our calls': ours.length,
    'our 429s': ours429,
    '429 share': pct(ours429, ours.length),
    'accepted req/s': round(accepted / (spanMs / 1000)),
    "other's 429s": otherStatuses.filter((status) => status === 429).length,
    'applied twice+': ops.filter((op) => (applied.get(op.value) ?? 0) >= 2).length,
    'lost (200, never applied)': ops.filter((op) => op.status === 200 && !applied.has(op.value)).length,
    problems: problemCounts(ops),
  };
};

const loadRows: Awaited<ReturnType<typeof loadRow>>[] = [];
const breakerRows: Awaited<ReturnType<typeof breakerRow>>[] = [];
const overheadRows: Awaited<ReturnType<typeof overheadRow>>[] = [];
const organisationRows: Awaited<ReturnType<typeof organisationRow>>[] = [];
const startupSeconds: Record<number, number> = {};
let base = NaN;
let failure: Error | undefined;
try {
  for (const size of FLEET_SIZES) {
    const started = Date.now();
    const fleet = new Fleet(size);
    try {
      if (!(await fleet.until(() => fleet.instances.every((instance) => instance.ready), READY_TIMEOUT_MS))) throw new Error(`N=${size}: instances not ready within ${READY_TIMEOUT_MS} ms`);
      startupSeconds[size] = round((Date.now() - started) / 1000);
      if (Number.isNaN(base)) base = await unloadedP50(fleet);
      loadRows.push(await loadRow(fleet, size, base));
      console.log(JSON.stringify(loadRows.at(-1)));
      overheadRows.push(await overheadRow(fleet, size));
      console.log(JSON.stringify(overheadRows.at(-1)));
      if (size === ORG_PHASE_SIZE) {
        organisationRows.push(await organisationRow(fleet, size));
        console.log(JSON.stringify(organisationRows.at(-1)));
      }
      breakerRows.push(await breakerRow(fleet, size));
      console.log(JSON.stringify(breakerRows.at(-1)));
    } finally {
      await fleet.close();
    }
  }
} catch (error) {
  failure = error as Error;
} finally {
  await Promise.all([simulators.stop(), aws.stop(), dynamoCounter.stop()]);
  await dynamo.stop();
}

console.log('Breaker (Samsara answers 500 until every instance has opened its circuit):');
console.table(breakerRows);
console.log('Overhead of the gate per call (light load, gate on vs off):');
console.table(overheadRows);
console.log('Shared organisation (another integration uses part of the limit):');
console.table(organisationRows);
report('fleet', loadRows, {
  scaling: { samsaraLimitReqPerSecond: LIMIT, samsaraOrganisationLimitReqPerSecond: ORG_LIMIT, documentedLimitReqPerSecond: DOCUMENTED_LIMIT, scale: DOCUMENTED_LIMIT / LIMIT, fleetBudgetReqPerSecond: LIMIT * 0.95, circuitCooldownMs: COOLDOWN_MS, deployedCooldownMs: 30_000 },
  offeredOpsPerSecond: OFFERED,
  loadMs: LOAD_MS,
  unloadedP50Ms: base,
  instanceStartupSeconds: startupSeconds,
  breaker: breakerRows,
  overhead: overheadRows,
  organisation: organisationRows,
});
if (failure) {
  console.error(`fleet benchmark harness failed: ${failure.message}`);
  process.exitCode = 1;
}
