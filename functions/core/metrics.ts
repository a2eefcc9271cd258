/**
 * CloudWatch metrics through the Embedded Metric Format: one JSON log line, no API call, no SDK.
 * The CDK stack alarms on these (e.g. VendorAuthenticationFailures).
 */
import type { LogSink } from './logger';

export const METRIC_NAMESPACE = 'DriverGateway';

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);
export const setMetricSink = (next: LogSink): void => {
  sink = next;
};

export const emitMetric = (name: string, dimensions: Record<string, string>, value = 1): void => {
  sink(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: 'Count' }] }],
      },
      ...dimensions,
      [name]: value,
    }),
  );
};

export interface MetricValue {
  value: number;
  unit: 'Count' | 'Milliseconds';
}

/**
 * Several metrics in one EMF line, aggregated along each of `dimensionSets` (each a list of keys of
 * `dimensions`): one line, no API call, and each set is a metric CloudWatch keeps (and bills) apart.
 */
export const emitMetrics = (metrics: Record<string, MetricValue>, dimensions: Record<string, string>, dimensionSets: string[][]): void => {
  sink(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: dimensionSets, Metrics: Object.entries(metrics).map(([name, { unit }]) => ({ Name: name, Unit: unit })) }],
      },
      ...dimensions,
      ...Object.fromEntries(Object.entries(metrics).map(([name, { value }]) => [name, value])),
    }),
  );
};
