/** Starts the embedded default (runner + simulators + AWS fakes + dynalite) for a test file, quietly. */
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setLogSink } from '../../functions/core/logger';
import { setMetricSink } from '../../functions/core/metrics';
import { VENDORS } from '../../functions/core/problem';
import { fleetGate } from '../../functions/core/vendor-gate';
import { startLocal, type LocalGateway, type LocalOptions } from '../../local/runner';
import { forbiddenInLogs } from './log-scanner';

export interface TestGateway extends LocalGateway {
  /** Every log line the functions and the runner wrote. */
  logs: string[];
  call(method: string, path: string, options?: { body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<Reply>;
  event(entry: Record<string, unknown>): Promise<Reply>;
  /** Forgets every vendor's fleet-wide pause, failure count and circuit, so one test's faults do not slow the next. */
  resetVendorGates(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

export const startGateway = async (options: LocalOptions = {}): Promise<TestGateway> => {
  const logs: string[] = [];
  const capture = (line: string): void => {
    logs.push(line);
  };
  setLogSink(capture);
  setMetricSink(capture);
  const gateway = await startLocal({ log: capture, ...options });
  const call: TestGateway['call'] = async (method, path, { body, raw, headers } = {}) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    ...gateway,
    // Every suite that starts a gateway also proves its whole log output is clean.
    stop: async () => {
      await gateway.stop();
      const leaks = forbiddenInLogs(logs);
      if (leaks.length > 0) throw new Error(`Sensitive data in ${leaks.length} log line(s), e.g. ${leaks[0]!.slice(0, 300)}`);
    },
    logs,
    call,
    event: (entry) => call('POST', '/_local/events', { body: entry }),
    resetVendorGates: async () => {
      fleetGate.forget();
      const client = new DynamoDBClient({ endpoint: gateway.dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      for (const vendor of VENDORS) {
        await client.send(new DeleteItemCommand({ TableName: gateway.dynamo.tableName, Key: { pk: { S: `vendor#${vendor}` }, sk: { S: 'gate' } } }));
      }
      client.destroy();
    },
  };
};
