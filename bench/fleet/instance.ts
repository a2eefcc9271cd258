/**
 * One simulated Lambda instance of the fleet benchmark: a separate Node process importing one real
 * handler, so its rate budget and circuit breaker are its own module-level state, as in AWS.
 * Like Lambda, it runs one invocation at a time. The parent drives it over stdin (one JSON
 * command a line) and reads one `FLEET {json}` line per finished operation on stdout; the
 * functions' own log lines are silenced so they cannot be mistaken for results.
 */
import { createInterface } from 'node:readline';
import type { Handler } from 'aws-lambda';
import { setLogSink } from '../../functions/core/logger';
import { setMetricSink } from '../../functions/core/metrics';
import { apiGatewayV1Event, lambdaContext } from '../../local/lambda-events';

export type FleetFunction = 'samsara-update-driver' | 'drivers-update';
/** The operator's driver id the drivers.update instances write through; linked to Samsara driver 123. */
export const FLEET_DRIVER = 'E-FLEET';
const FUNCTION_TIMEOUT_MS = 25_000;

export type Command =
  /** `env`: settings for this phase only (the functions read their settings at call time). */
  | { cmd: 'run'; phase: string; startAt: number; opsPerSecond: number; untilMs: number; env?: Record<string, string> }
  | { cmd: 'stop' }
  | { cmd: 'exit' };

/** One finished operation; `value` is the unique field value that lets the parent find its writes at the vendor. */
export interface OpLine {
  phase: string;
  instance: number;
  fn: FleetFunction;
  value: string;
  status: number;
  problem?: string;
  startedAt: number;
  endedAt: number;
}

const instance = Number(process.env.FLEET_INSTANCE);
const fn = process.env.FLEET_FUNCTION as FleetFunction;
setLogSink(() => undefined);
setMetricSink(() => undefined);

const emit = (line: unknown): void => {
  process.stdout.write(`FLEET ${JSON.stringify(line)}\n`);
};

const load = async (name: string): Promise<Handler> => ((await import(`../../functions/${name}.ts`)) as { handler: Handler }).handler;
const handler = await load(fn);

interface HttpCall {
  method: string;
  resource: string;
  path: string;
  pathParams: Record<string, string>;
  body: unknown;
  idempotencyKey?: string;
}

const invoke = async (target: Handler, call: HttpCall): Promise<{ statusCode: number; body?: string }> => {
  const event = apiGatewayV1Event({
    method: call.method,
    resource: call.resource,
    path: call.path,
    pathParams: call.pathParams,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', ...(call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {}) },
    body: JSON.stringify(call.body),
    sourceIp: '127.0.0.1',
  });
  return (await target(event, lambdaContext(`driver-gateway-${fn}`, FUNCTION_TIMEOUT_MS), () => undefined)) as { statusCode: number; body?: string };
};

/** One write with a value no other operation uses: `notes` for Samsara directly, `phone` through the fan-out. */
const operation = (value: string): HttpCall =>
  fn === 'samsara-update-driver'
    ? { method: 'PATCH', resource: '/v1/providers/samsara/drivers/{id}', path: '/v1/providers/samsara/drivers/123', pathParams: { id: '123' }, body: { notes: value }, idempotencyKey: value }
    : { method: 'PATCH', resource: '/v1/drivers/{driverId}', path: `/v1/drivers/${FLEET_DRIVER}`, pathParams: { driverId: FLEET_DRIVER }, body: { phone: value }, idempotencyKey: value };

// The drivers.update instances need the driver's links in the table; writing them is no vendor call.
if (fn === 'drivers-update') {
  const putLinks = await load('drivers-put-links');
  const linked = await invoke(putLinks, { method: 'PUT', resource: '/v1/drivers/{driverId}/links', path: `/v1/drivers/${FLEET_DRIVER}/links`, pathParams: { driverId: FLEET_DRIVER }, body: { samsara: { id: '123' } } });
  if (linked.statusCode !== 200) throw new Error(`instance ${instance}: PUT links answered ${linked.statusCode}`);
}

/** Sets `env` and returns what puts the previous values (or their absence) back. */
const overrideEnv = (env: Record<string, string>): (() => void) => {
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
};

let stopRequested = false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
/** The problem an answer names: its own, or for a fan-out the Samsara result's (where an open circuit shows). */
const problemType = (body: string | undefined): string | undefined => {
  try {
    const parsed = JSON.parse(body ?? '') as { type?: string; results?: { samsara?: { error?: { type?: string } } } };
    return (parsed.type ?? parsed.results?.samsara?.error?.type)?.split(':').pop();
  } catch {
    return undefined;
  }
};

/**
 * Offers `opsPerSecond` from `startAt` until `untilMs` later (or a stop), one invocation at a time:
 * an instance that falls behind its schedule goes on at once, it does not run two at a time.
 */
const run = async (command: Extract<Command, { cmd: 'run' }>): Promise<void> => {
  stopRequested = false;
  const restore = overrideEnv(command.env ?? {});
  const interval = 1000 / command.opsPerSecond;
  const end = command.startAt + command.untilMs;
  const maxOps = Math.ceil((command.untilMs / 1000) * command.opsPerSecond) + 1;
  // Instances do not tick in lockstep (callers arrive at random): each runs its schedule at its own
  // offset within the interval (golden-ratio spacing, so any N spreads evenly).
  const offset = ((instance * 0.618_034) % 1) * interval;
  for (let i = 0; i < maxOps && !stopRequested; i += 1) {
    const due = command.startAt + offset + i * interval;
    if (due >= end) break;
    await sleep(due - Date.now());
    // Behind schedule past the end: the phase is over, its backlog is not offered late.
    if (stopRequested || Date.now() >= end) break;
    const value = `${command.phase}-${instance}-${i}`;
    const startedAt = Date.now();
    let status = 0;
    let problem: string | undefined;
    try {
      const result = await invoke(handler, operation(value));
      status = result.statusCode;
      if (status !== 200) problem = problemType(result.body);
    } catch (error) {
      // A handler that throws is what Lambda reports as a failed invocation.
      problem = `thrown: ${(error as Error).name}`;
    }
    emit({ phase: command.phase, instance, fn, value, status, problem, startedAt, endedAt: Date.now() } satisfies OpLine);
  }
  restore();
  emit({ done: command.phase, instance });
};

let running: Promise<void> = Promise.resolve();
emit({ ready: instance });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  if (command.cmd === 'run') running = run(command);
  else if (command.cmd === 'stop') stopRequested = true;
  else break;
}
await running;
process.exit(0);
