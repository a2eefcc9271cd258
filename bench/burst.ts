/**
 * Burst: BENCH_SIZE operations per vendor (default 2,000) through the real vendor clients at full
 * speed, against the rate-limited simulators (Samsara 150 req/s per token as documented; our
 * conservative choices for the others). Reports completed, errors, 429s seen and the achieved rate
 * as a share of the vendor's limit. Goal: 0 lost, ≥ 90% of the limit.
 */
import { DOCUMENTED_OR_CHOSEN_LIMITS } from '../functions/core/vendor-limits';
import type { OperationContext } from '../functions/core/operation';
import { createLogger, setLogSink } from '../functions/core/logger';
import { isProblem, type VendorName } from '../functions/core/problem';
import * as chargeapi from '../functions/providers/chargeapi/client';
import * as drivequant from '../functions/providers/drivequant/client';
import * as focus from '../functions/providers/focus/client';
import * as samsara from '../functions/providers/samsara/client';
import { startAwsFake } from '../local/aws-fake';
import { startDynamoProcess } from './dynamo-process';
import { loadLocalSecrets } from '../local/secrets-file';
import { startSimulators } from '../local/simulators';
import { report } from './report';

const SIZE = Number(process.env.BENCH_SIZE ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const BUDGET_MS = 20_000;

const secrets = loadLocalSecrets();
const simulators = await startSimulators({ credentials: secrets });
const aws = await startAwsFake({ secrets: Object.fromEntries(Object.entries(secrets).map(([vendor, value]) => [`driver-gateway/${vendor}`, value])) });
// Every attempt takes its slot from the vendor's fleet-wide budget in the table, as deployed; the
// table runs in a process of its own, as it is remote in AWS.
const dynamo = await startDynamoProcess();
Object.assign(process.env, {
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
  TABLE_NAME: dynamo.tableName,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...Object.fromEntries(Object.entries(simulators.urls).map(([vendor, url]) => [`${vendor.toUpperCase()}_BASE_URL`, url])),
});

const seen429 = new Map<VendorName, number>();
setLogSink((line) => {
  if (line.includes('"status":429')) {
    const vendor = /"vendor":"(\w+)"/.exec(line)?.[1] as VendorName | undefined;
    if (vendor) seen429.set(vendor, (seen429.get(vendor) ?? 0) + 1);
  }
});

const context = (): OperationContext => ({
  operation: 'bench',
  trigger: 'http',
  correlationId: 'bench',
  requestKey: `bench-${Math.random()}`,
  headers: {},
  log: createLogger(),
  deadline: Date.now() + BUDGET_MS,
});

const operations: Record<VendorName, (i: number) => Promise<unknown>> = {
  samsara: (i) => samsara.updateDriver('123', { notes: `burst ${i}` }, context()),
  drivequant: (i) => drivequant.setDriverStatus('susan-jones', { status: i % 2 ? 'ENABLE' : 'DISABLE' }, context()),
  // After the first detach the driver is out of the fleet: ChargeAPI's 409 is a definitive answer, not a loss.
  chargeapi: (i) => chargeapi.detachDriver('drv_susan', { fleet: 'flt_east' }, `burst-${i}`, context()),
  focus: (i) => focus.updateDriver({ identifiers: { driver_number: 'D-1001' }, driver: { city: `Scranton ${i}` } }, context()),
};

const run = async (vendor: VendorName) => {
  let next = 0;
  const counts = { succeeded: 0, refused: 0, lost: 0 };
  const lostBy: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, SIZE) }, async () => {
      while (next < SIZE) {
        const i = next++;
        try {
          await operations[vendor](i);
          counts.succeeded += 1;
        } catch (error) {
          // A vendor's 4xx answer is definitive; 5xx/timeouts/rate-limit refusals mean the change was lost.
          if (isProblem(error) && error.status < 500) counts.refused += 1;
          else {
            counts.lost += 1;
            const type = isProblem(error) ? error.type : (error as Error).name;
            lostBy[type] = (lostBy[type] ?? 0) + 1;
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rate = SIZE / seconds;
  return {
    vendor,
    operations: SIZE,
    succeeded: counts.succeeded,
    refused: counts.refused,
    lost: counts.lost,
    '429s seen': seen429.get(vendor) ?? 0,
    seconds: Number(seconds.toFixed(2)),
    'req/s': Number(rate.toFixed(1)),
    'limit req/s': DOCUMENTED_OR_CHOSEN_LIMITS[vendor],
    'share of limit': `${((rate / DOCUMENTED_OR_CHOSEN_LIMITS[vendor]) * 100).toFixed(1)}%`,
    'lost as': Object.entries(lostBy).map(([type, n]) => `${type} ×${n}`).join(', ') || '–',
  };
};

const rows = await Promise.all((['samsara', 'drivequant', 'chargeapi', 'focus'] as const).map(run));
report('burst', rows, { size: SIZE, concurrency: CONCURRENCY });
await Promise.all([simulators.stop(), aws.stop(), dynamo.stop()]);
const lost = rows.reduce((sum, row) => sum + row.lost, 0);
if (lost > 0) {
  console.error(`${lost} operations lost`);
  process.exitCode = 1;
}
