/**
 * One CloudWatch dashboard for the operator: per vendor (calls by outcome, latency, circuit), per
 * function (invocations, errors, throttles, duration against the timeout), dead letters, the API.
 * Vendor widgets use SEARCH over the per-call metrics, so every operation and status class that
 * occurs shows up without being listed here.
 */
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Dashboard, GraphWidget, MathExpression, Metric, TextWidget, type HorizontalAnnotation } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../functions/core/metrics';
import { VENDORS } from '../../functions/core/problem';

export interface DashboardProps {
  functions: { name: string; fn: IFunction }[];
  timeout: Duration;
  deadLetters: { name: string; queue: IQueue }[];
  api: RestApi;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Every series of a per-call metric for one vendor, whatever its other dimensions. */
const search = (vendor: string, keys: string, metric: string, statistic: string, label: string): MathExpression =>
  new MathExpression({
    expression: `SEARCH('{${METRIC_NAMESPACE},${keys}} MetricName="${metric}" vendor="${vendor}"', '${statistic}', 300)`,
    label,
    period: FIVE_MINUTES,
  });

export class GatewayDashboard extends Construct {
  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'driver-gateway', defaultInterval: Duration.hours(3) });
    dashboard.addWidgets(new TextWidget({ markdown: '# driver-gateway\nVendors (per-call metrics, fleet-wide budget and circuit), functions, dead letters, API. Runbook: infra/README.md.', width: 24, height: 2 }));
    for (const vendor of VENDORS) {
      dashboard.addWidgets(
        new GraphWidget({
          title: `${vendor}: calls by outcome and status class (rate-limited = the budget or a 429)`,
          left: [search(vendor, 'vendor,outcome,statusClass', 'VendorCalls', 'Sum', '')],
          width: 8,
        }),
        new GraphWidget({
          title: `${vendor}: call latency p50 / p99 by operation (ms)`,
          left: [search(vendor, 'vendor,operation', 'VendorCallLatency', 'p50', 'p50'), search(vendor, 'vendor,operation', 'VendorCallLatency', 'p99', 'p99')],
          width: 8,
        }),
        new GraphWidget({
          title: `${vendor}: circuit opened / refused keys`,
          left: [
            new Metric({ namespace: METRIC_NAMESPACE, metricName: 'VendorCircuitOpen', dimensionsMap: { vendor }, statistic: 'Sum', period: FIVE_MINUTES }),
            new Metric({ namespace: METRIC_NAMESPACE, metricName: 'VendorAuthenticationFailures', dimensionsMap: { vendor }, statistic: 'Sum', period: FIVE_MINUTES }),
          ],
          width: 8,
        }),
      );
    }
    const timeoutLine: HorizontalAnnotation = { value: props.timeout.toMilliseconds(), label: 'timeout' };
    for (const { name, fn } of props.functions) {
      dashboard.addWidgets(
        new GraphWidget({
          title: `${name}: invocations, errors, throttles`,
          left: [fn.metricInvocations({ period: FIVE_MINUTES }), fn.metricErrors({ period: FIVE_MINUTES }), fn.metricThrottles({ period: FIVE_MINUTES })],
          width: 12,
        }),
        new GraphWidget({
          title: `${name}: duration p50 / p99 against the timeout (ms)`,
          left: [fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p50' }), fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' })],
          leftAnnotations: [timeoutLine],
          width: 12,
        }),
      );
    }
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead letters waiting (redrive: infra/README.md)',
        left: props.deadLetters.map(({ name, queue }) => queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum', label: name })),
        width: 12,
      }),
      new GraphWidget({
        title: 'API: 4xx and 5xx',
        left: [props.api.metricClientError({ period: FIVE_MINUTES }), props.api.metricServerError({ period: FIVE_MINUTES })],
        width: 12,
      }),
    );
  }
}
