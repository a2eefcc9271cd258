/**
 * A loopback stand-in for the two AWS APIs the functions call, speaking their real JSON 1.1 wire
 * protocol so the real SDK clients run unchanged: Secrets Manager `GetSecretValue` and EventBridge
 * `PutEvents`. Point the SDK at it with AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_EVENTBRIDGE.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
}

export interface RecordedEvent {
  id: string;
  source: string;
  detailType: string;
  detail: unknown;
  eventBusName: string;
  time: string;
}

export interface AwsFake {
  url: string;
  /** Sets (or rotates) a secret's value. */
  putSecret(id: string, value: unknown): void;
  /** GetSecretValue calls seen, by secret id. */
  secretReads: Map<string, number>;
  events: RecordedEvent[];
  /** Called for every accepted PutEvents entry (the local runner logs them). */
  onEvent?: (event: RecordedEvent) => void;
  stop(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const MAX_PUT_EVENTS_BYTES = 256 * 1024;
const byteLength = (text: string | undefined): number => Buffer.byteLength(text ?? '', 'utf8');

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
};

const awsError = (res: ServerResponse, status: number, type: string, message: string): void =>
  reply(res, status, { __type: type, message });

export const startAwsFake = async (options: { secrets?: Record<string, unknown> } = {}): Promise<AwsFake> => {
  const secrets = new Map<string, { value: string; version: string; created: number }>();
  const fake: AwsFake = {
    url: '',
    putSecret: (id, value) => secrets.set(id, { value: typeof value === 'string' ? value : JSON.stringify(value), version: randomUUID(), created: Date.now() / 1000 }),
    secretReads: new Map(),
    events: [],
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  for (const [id, value] of Object.entries(options.secrets ?? {})) fake.putSecret(id, value);

  const handlers: Record<string, (input: Record<string, unknown>, res: ServerResponse) => void> = {
    'secretsmanager.GetSecretValue': (input, res) => {
      const id = String(input.SecretId ?? '');
      fake.secretReads.set(id, (fake.secretReads.get(id) ?? 0) + 1);
      const secret = secrets.get(id);
      if (!secret) return awsError(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      reply(res, 200, {
        ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${id}`,
        Name: id,
        SecretString: secret.value,
        VersionId: secret.version,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.created,
      });
    },
    'AWSEvents.PutEvents': (input, res) => {
      const entries = Array.isArray(input.Entries) ? (input.Entries as PutEventsEntry[]) : [];
      // EventBridge's 256 KB limit on a PutEvents request, counted as AWS documents it.
      const size = entries.reduce((sum, entry) => sum + byteLength(entry.Source) + byteLength(entry.DetailType) + byteLength(entry.Detail), 0);
      if (size > MAX_PUT_EVENTS_BYTES) return awsError(res, 400, 'ValidationException', 'Total size of the entries in the request is over the limit.');
      const results = entries.map((entry) => {
        let detail: unknown;
        try {
          detail = JSON.parse(entry.Detail ?? '');
        } catch {
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
        }
        const event: RecordedEvent = {
          id: randomUUID(),
          source: entry.Source ?? '',
          detailType: entry.DetailType ?? '',
          detail,
          eventBusName: entry.EventBusName ?? 'default',
          time: new Date().toISOString(),
        };
        fake.events.push(event);
        fake.onEvent?.(event);
        return { EventId: event.id };
      });
      reply(res, 200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
    },
  };

  const server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const handler = handlers[target];
    const raw = await readBody(req);
    if (!handler) return awsError(res, 400, 'UnknownOperationException', `The fake does not implement ${target || 'this operation'}.`);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(raw || '{}');
    } catch {
      return awsError(res, 400, 'SerializationException', 'Body is not JSON.');
    }
    handler(input, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
};
