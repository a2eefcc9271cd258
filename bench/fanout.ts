/**
 * Fan-out: driver operations against vendors that answer with different latencies. The calls run
 * in parallel, so an operation should take about as long as its slowest vendor, never the sum.
 * Goal: ≤ 1.1 × the slowest vendor.
 */
import { setLogSink } from '../functions/core/logger';
import { setMetricSink } from '../functions/core/metrics';
import { putLinks } from '../functions/drivers/links-store';
import { startAwsFake } from '../local/aws-fake';
import { startDynamo } from '../local/dynamodb-local';
import { apiGatewayV1Event, lambdaContext } from '../local/lambda-events';
import { loadLocalSecrets } from '../local/secrets-file';
import { median, startFake } from './fakes';
import { report } from './report';

const RUNS = Number(process.env.BENCH_SIZE ?? 30);
const LATENCY = { samsara: 60, drivequant: 90, chargeapi: 120, focus: 150 } as const;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const secrets = loadLocalSecrets();
const fakes = {
  samsara: await startFake({ data: { id: '123' } }, LATENCY.samsara),
  drivequant: await startFake({ status: 'DISABLE' }, LATENCY.drivequant),
  chargeapi: await startFake({ id: 'drv_susan', object: 'driver', fleets: [] }, LATENCY.chargeapi),
  focus: await startFake({ success: true, error_code: '', error_message: '' }, LATENCY.focus),
};
const aws = await startAwsFake({ secrets: Object.fromEntries(Object.entries(secrets).map(([vendor, value]) => [`driver-gateway/${vendor}`, value])) });
const dynamo = await startDynamo();
Object.assign(process.env, {
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_ENDPOINT_URL_DYNAMODB: dynamo.url, TABLE_NAME: dynamo.tableName,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // The same driver is deactivated again and again here: the mass-change guard is policy, not latency.
  MASS_CHANGE_LIMIT: '0',
  ...Object.fromEntries(Object.entries(fakes).flatMap(([vendor, fake]) => [[`${vendor.toUpperCase()}_BASE_URL`, fake.url], [`${vendor.toUpperCase()}_RATE_PER_SECOND`, '0']])),
});
setLogSink(() => undefined);
setMetricSink(() => undefined);

await putLinks('E-bench', {
  samsara: { id: '123' },
  drivequant: { userId: 'susan-jones' },
  chargeapi: { driver: 'drv_susan', fleets: ['flt_east', 'flt_west'] },
  focus: { identifiers: { driver_number: 'D-1001' } },
});

const cases = [
  { name: 'drivers.update', vendors: ['samsara', 'focus'] as const, module: '../functions/drivers-update', method: 'PATCH', resource: '/v1/drivers/{driverId}', path: '/v1/drivers/E-bench', body: { firstName: 'Susan', lastName: 'Smith', email: 'susan@example.com' } },
  { name: 'drivers.offboard', vendors: ['samsara', 'drivequant', 'chargeapi'] as const, module: '../functions/drivers-offboard', method: 'POST', resource: '/v1/drivers/{driverId}/offboard', path: '/v1/drivers/E-bench/offboard', body: {} },
  { name: 'drivers.setStatus', vendors: ['samsara', 'drivequant'] as const, module: '../functions/drivers-set-status', method: 'PUT', resource: '/v1/drivers/{driverId}/status', path: '/v1/drivers/E-bench/status', body: { status: 'inactive' } },
];

const rows = [];
for (const testCase of cases) {
  const { handler } = (await import(testCase.module)) as { handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> };
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i += 1) {
    const event = apiGatewayV1Event({
      method: testCase.method, resource: testCase.resource, path: testCase.path, pathParams: { driverId: 'E-bench' },
      query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: JSON.stringify(testCase.body), sourceIp: '127.0.0.1',
    });
    const started = performance.now();
    const response = await handler(event, lambdaContext('bench', 25_000));
    const elapsed = performance.now() - started;
    if (response.statusCode !== 200) throw new Error(`${testCase.name} answered ${response.statusCode}: ${response.body}`);
    if (i >= 3) times.push(elapsed); // the first calls read secrets: that is cold start, measured elsewhere
  }
  const slowest = Math.max(...testCase.vendors.map((vendor) => LATENCY[vendor]));
  const sum = testCase.vendors.reduce((total, vendor) => total + LATENCY[vendor], 0);
  rows.push({
    operation: testCase.name,
    vendors: testCase.vendors.map((vendor) => `${vendor} ${LATENCY[vendor]}ms`).join(', '),
    'median ms': Number(median(times).toFixed(1)),
    'slowest vendor ms': slowest,
    'sum ms': sum,
    'ratio to slowest': Number((median(times) / slowest).toFixed(3)),
  });
}
report('fanout', rows, { runs: RUNS, latencies: LATENCY });
await Promise.all([...Object.values(fakes).map((fake) => fake.stop()), aws.stop(), dynamo.stop()]);
