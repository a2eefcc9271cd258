/**
 * What reaches CloudWatch from the functions' logs (EMF): one line per vendor call with its latency
 * and outcome, by vendor and operation; and the custom metrics the stack's alarms watch carry exactly
 * the dimensions those alarms ask for (an alarm on a dimension the metric lost never fires).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { METRIC_NAMESPACE } from '../../functions/core/metrics';
import { buildApp } from '../../infra/app';
import { loadLocalSecrets } from '../../local/secrets-file';
import { startGateway, type TestGateway } from './gateway';

let gw: TestGateway;

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

const emfLines = (): EmfLine[] =>
  gw.logs.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as EmfLine;
      return parsed._aws?.CloudWatchMetrics ? [parsed] : [];
    } catch {
      return [];
    }
  });
const callLines = () => emfLines().filter((line) => line.VendorCalls === 1);

beforeAll(async () => {
  gw = await startGateway({ env: { VENDOR_CIRCUIT_THRESHOLD: '2', VENDOR_MAX_ATTEMPTS: '1', VENDOR_CIRCUIT_COOLDOWN_MS: '60000', MASS_CHANGE_LIMIT: '0' } });
  expect((await gw.call('PUT', '/v1/drivers/E-M1/links', { body: { samsara: { id: '123' }, focus: { identifiers: { driver_number: 'D-1001' } } } })).status).toBe(200);
});
afterAll(() => gw?.stop());
beforeEach(async () => {
  await gw.resetVendorGates();
  gw.logs.length = 0;
  for (const vendor of ['samsara', 'drivequant', 'chargeapi', 'focus'] as const) gw.simulators.setFaults(vendor, '');
});

describe('per-call vendor metrics', () => {
  it('a call logs its latency and outcome by vendor and operation, and by vendor, outcome and status class', async () => {
    expect((await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Metric' } })).status).toBe(200);
    const [line] = callLines();
    expect(line).toMatchObject({ vendor: 'samsara', operation: 'samsara.updateDriver', outcome: 'succeeded', statusClass: '2xx', VendorCalls: 1 });
    expect(line!.VendorCallLatency).toEqual(expect.any(Number));
    expect(line!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRIC_NAMESPACE,
        Dimensions: [['vendor', 'operation'], ['vendor', 'outcome', 'statusClass']],
        Metrics: [{ Name: 'VendorCalls', Unit: 'Count' }, { Name: 'VendorCallLatency', Unit: 'Milliseconds' }],
      },
    ]);
  });

  it('failures, an open circuit and a fan-out are told apart, each under its own operation', async () => {
    gw.simulators.setFaults('samsara', '500:1');
    for (let i = 0; i < 2; i += 1) await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Fail' } });
    await gw.call('PATCH', '/v1/providers/samsara/drivers/123', { body: { name: 'Open' } });
    const reply = await gw.call('PATCH', '/v1/drivers/E-M1', { body: { phone: '+15555550100' } });
    expect(reply.status).toBe(207);
    const seen = callLines().map((line) => [line.vendor, line.operation, line.outcome, line.statusClass]);
    expect(seen.slice(0, 3)).toEqual([
      ['samsara', 'samsara.updateDriver', 'failed', '5xx'],
      ['samsara', 'samsara.updateDriver', 'failed', '5xx'],
      ['samsara', 'samsara.updateDriver', 'circuit-open', 'none'],
    ]);
    // The fan-out's two vendor calls run side by side: their order is not fixed.
    expect(seen.slice(3).sort()).toEqual([['focus', 'drivers.update', 'succeeded', '2xx'], ['samsara', 'drivers.update', 'circuit-open', 'none']]);
  });
});

describe('the alarms watch metrics as they are emitted', () => {
  it('each alarm on a gateway metric asks for exactly the dimensions that metric is emitted with', async () => {
    // Emit the alarmed metrics for real: refused keys, then an open circuit.
    gw.simulators.setCredentials('drivequant', { adminApiKey: 'not-the-key-the-gateway-has' });
    for (let i = 0; i < 2; i += 1) await gw.call('PUT', '/v1/providers/drivequant/drivers/susan-jones/status', { body: { status: 'ENABLE' } });
    gw.simulators.setCredentials('drivequant', loadLocalSecrets().drivequant);
    const emitted = new Map<string, string[][]>();
    for (const line of emfLines()) for (const group of line._aws.CloudWatchMetrics) for (const metric of group.Metrics) emitted.set(metric.Name, group.Dimensions);
    expect([...emitted.keys()]).toEqual(expect.arrayContaining(['VendorAuthenticationFailures', 'VendorCircuitOpen']));

    const app = new App({ context: { focusBaseUrl: 'https://acme.focussi.com', 'aws:cdk:bundling-stacks': [] } });
    const alarms = Object.values(Template.fromStack(buildApp(app).stack).toJSON().Resources as Record<string, { Type: string; Properties: any }>)
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties.Namespace === METRIC_NAMESPACE);
    for (const alarm of alarms.filter((candidate) => emitted.has(candidate.Properties.MetricName))) {
      const asked = (alarm.Properties.Dimensions as { Name: string }[]).map((dimension) => dimension.Name).sort();
      expect(emitted.get(alarm.Properties.MetricName)!.map((set) => [...set].sort()), alarm.Properties.MetricName).toContainEqual(asked);
    }
    expect(alarms.filter((alarm) => emitted.has(alarm.Properties.MetricName)).length).toBeGreaterThanOrEqual(8);
  });
});
