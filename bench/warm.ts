/**
 * Warm overhead: what the handler path (adapter, validation, middleware, logging, client) adds to
 * a vendor call, against a bare fetch to the same loopback vendor fake, alternating request by
 * request. Then memory over a long run (BENCH_WARM_LONG, default 100,000 requests).
 * Goals: ≤ 0.3 ms median overhead; memory flat.
 */
import { setLogSink } from '../functions/core/logger';
import { setMetricSink } from '../functions/core/metrics';
import { startAwsFake } from '../local/aws-fake';
import { apiGatewayV1Event, lambdaContext } from '../local/lambda-events';
import { loadLocalSecrets } from '../local/secrets-file';
import { median, percentile, startFake } from './fakes';
import { report } from './report';

const SAMPLES = Number(process.env.BENCH_SIZE ?? 5000);
const LONG = Number(process.env.BENCH_WARM_LONG ?? 100_000);

const secrets = loadLocalSecrets();
const vendor = await startFake({ status: 'DISABLE' });
const aws = await startAwsFake({ secrets: { 'driver-gateway/drivequant': secrets.drivequant } });
Object.assign(process.env, {
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DRIVEQUANT_BASE_URL: vendor.url,
  // The rate budget would pace this loop at 47.5 req/s: that is policy, not overhead. The fleet-wide
  // gate's DynamoDB round trip per call is I/O, measured where it has a store: bench:fleet, "overhead".
  DRIVEQUANT_RATE_PER_SECOND: '0',
  VENDOR_CIRCUIT_THRESHOLD: '0',
  // So is the mass-change guard's table round trip on every DISABLE (and there is no table here).
  MASS_CHANGE_LIMIT: '0',
});
// Log lines are still built (their cost counts); only the write to a terminal is skipped.
let logBytes = 0;
setLogSink((line) => {
  logBytes += line.length;
});
setMetricSink(() => undefined);

const { handler } = await import('../functions/drivequant-set-driver-status');
const body = JSON.stringify({ status: 'DISABLE' });
const event = () =>
  apiGatewayV1Event({
    method: 'PUT', resource: '/v1/providers/drivequant/drivers/{userId}/status', path: '/v1/providers/drivequant/drivers/susan-jones/status',
    pathParams: { userId: 'susan-jones' }, query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body, sourceIp: '127.0.0.1',
  });
const viaHandler = async (): Promise<number> => {
  const started = performance.now();
  const response = (await handler(event(), lambdaContext('bench', 25_000))) as { statusCode: number };
  if (response.statusCode !== 200) throw new Error(`handler answered ${response.statusCode}`);
  return performance.now() - started;
};
const bare = async (): Promise<number> => {
  const started = performance.now();
  const response = await fetch(`${vendor.url}/v3/drivekit/admin/drivers/susan-jones/status`, {
    method: 'PUT', headers: { 'content-type': 'application/json', 'drivekit-admin-api-key': secrets.drivequant.adminApiKey! }, body,
  });
  await response.json();
  return performance.now() - started;
};

for (let i = 0; i < 300; i += 1) {
  await viaHandler();
  await bare();
}
const handlerTimes: number[] = [];
const bareTimes: number[] = [];
for (let i = 0; i < SAMPLES; i += 1) {
  if (i % 2) {
    handlerTimes.push(await viaHandler());
    bareTimes.push(await bare());
  } else {
    bareTimes.push(await bare());
    handlerTimes.push(await viaHandler());
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const heap: { after: number; heapMiB: number }[] = [];
for (let i = 1; i <= LONG; i += 1) {
  await viaHandler();
  if (i === Math.min(10_000, LONG) || i % Math.max(1, Math.floor(LONG / 4)) === 0) heap.push({ after: i, heapMiB: Number(heapMiB().toFixed(2)) });
}

const rows = [
  { path: 'bare fetch', 'median ms': median(bareTimes), 'p99 ms': percentile(bareTimes, 99) },
  { path: 'handler', 'median ms': median(handlerTimes), 'p99 ms': percentile(handlerTimes, 99) },
  { path: 'overhead', 'median ms': median(handlerTimes) - median(bareTimes), 'p99 ms': percentile(handlerTimes, 99) - percentile(bareTimes, 99) },
].map((row) => ({ ...row, 'median ms': Number(row['median ms'].toFixed(3)), 'p99 ms': Number(row['p99 ms'].toFixed(3)) }));
console.table(heap);
report('warm', rows, { samples: SAMPLES, longRun: LONG, heap, gcExposed: Boolean(gc), logBytesPerRequest: Math.round(logBytes / (SAMPLES + LONG + 300)) });
await Promise.all([vendor.stop(), aws.stop()]);
