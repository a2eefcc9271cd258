/** sendWithRetries against a real loopback server: the retry policy, observed from the vendor's side. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, setLogSink } from '../../functions/core/logger';
import { Problem } from '../../functions/core/problem';
import type { AttemptOutcome, VendorGate } from '../../functions/core/vendor-gate';
import { sendWithRetries } from '../../functions/core/vendor-http';
import { gateSettings } from '../../functions/core/vendor-limits';

type Step = { status: number; body?: string; headers?: Record<string, string> } | 'reset' | 'hang' | { hugeMb: number; declared: boolean };
let script: Step[] = [];
let hits = 0;
/** Bytes of huge answers the server managed to write before the client hung up. */
let hugeBytesWritten = 0;

const streamHuge = (res: import('node:http').ServerResponse, megabytes: number, declared: boolean): void => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const total = megabytes * 1024 * 1024;
  res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': String(total) } : {}) });
  let written = 0;
  const pump = (): void => {
    while (written < total) {
      written += chunk.length;
      hugeBytesWritten += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => res.destroyed || res.destroy());
  pump();
};
let server: Server;
let url = '';

beforeAll(async () => {
  setLogSink(() => undefined);
  server = createServer((req, res) => {
    const step = script[Math.min(hits, script.length - 1)] ?? { status: 200, body: '{}' };
    hits += 1;
    req.resume();
    if (step === 'reset') return req.socket.destroy();
    if (step === 'hang') return;
    if ('hugeMb' in step) return streamHuge(res, step.hugeMb, step.declared);
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(step.body ?? '{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  settled = [];
  hits = 0;
  hugeBytesWritten = 0;
});

/** The HTTP rules alone: every attempt admitted, and what each attempt told the fleet's gate recorded. */
let settled: AttemptOutcome[] = [];
const gate: VendorGate = {
  admit: async (vendor) => ({ vendor, settings: gateSettings(vendor), failuresSeen: 0 }),
  settle: async (_admission, outcome) => {
    settled.push(outcome);
  },
  release: async () => undefined,
  renew: async () => true,
  countFailure: async () => undefined,
};

const policy = { attemptTimeoutMs: 150, budgetMs: 2_000, maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const send = (retrySafe = true, deadlineMs = 2_000) =>
  sendWithRetries({ vendor: 'samsara', method: 'PATCH', url, headers: {}, body: '{}' }, { policy, deadline: Date.now() + deadlineMs, retrySafe, log: createLogger(), gate });

describe('sendWithRetries', () => {
  it('retries 5xx and answers with the success', async () => {
    script = [{ status: 503 }, { status: 500 }, { status: 200, body: '{"done":1}' }];
    const response = await send();
    expect(response).toMatchObject({ status: 200, json: { done: 1 }, attempts: 3 });
    expect(hits).toBe(3);
  });

  it('honours a fractional Retry-After on 429', async () => {
    script = [{ status: 429, headers: { 'retry-after': '0.05' } }, { status: 200 }];
    const started = Date.now();
    await send();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(hits).toBe(2);
  });

  it('tells the gate how each attempt ended: a 429 is busy with its pause, 5xx/unreadable are unhealthy, 401/403 say nothing yet, a 4xx about the request is healthy', async () => {
    script = [{ status: 429, headers: { 'retry-after': '0.05' } }, { status: 500 }, { status: 200, body: 'not json' }, { status: 404, body: '{}' }];
    expect((await send()).status).toBe(404);
    expect(settled).toEqual([{ kind: 'busy', pauseMs: 50 }, { kind: 'unhealthy' }, { kind: 'unhealthy' }, { kind: 'healthy' }]);
    [settled, hits] = [[], 0];
    // Without Retry-After the fleet pauses on the backoff schedule (base 5 ms, doubling), without jitter.
    script = [{ status: 429 }, { status: 429 }, { status: 200, body: '{}' }];
    await send();
    expect(settled).toEqual([{ kind: 'busy', pauseMs: 5 }, { kind: 'busy', pauseMs: 10 }, { kind: 'healthy' }]);
    settled = [];
    for (const status of [401, 403]) {
      [script, hits] = [[{ status, body: '{}' }], 0];
      expect((await send()).status).toBe(status);
    }
    [script, hits] = [[{ status: 200, body: '{}' }], 0];
    await send();
    expect(settled).toEqual([{ kind: 'neutral' }, { kind: 'neutral' }, { kind: 'healthy' }]);
  });

  it('sends a request that is not safe to repeat exactly once', async () => {
    script = [{ status: 503 }, { status: 200 }];
    const response = await send(false);
    expect(response.status).toBe(503);
    expect(hits).toBe(1);
  });

  it('gives back the last 5xx after the attempts, for the vendor mapping', async () => {
    script = [{ status: 502 }];
    expect((await send()).status).toBe(502);
    expect(hits).toBe(4);
  });

  it('a vendor that never answers is a 504 vendor-timeout', async () => {
    script = ['hang'];
    await expect(send(true, 1_000)).rejects.toMatchObject({ type: 'vendor-timeout', status: 504 });
    expect(hits).toBeGreaterThanOrEqual(2);
  });

  it('connection resets are retried, and in the end a 502', async () => {
    script = ['reset', { status: 200 }];
    expect((await send()).status).toBe(200);
    hits = 0;
    script = ['reset'];
    await expect(send()).rejects.toMatchObject({ type: 'vendor-unavailable', status: 502 });
    expect(hits).toBe(4);
  });

  it('a 2xx that is not JSON is retried, and in the end a 502', async () => {
    script = [{ status: 200, body: '<html>' }, { status: 200, body: '{"ok":1}' }];
    expect((await send()).json).toEqual({ ok: 1 });
    hits = 0;
    script = [{ status: 200, body: '<html>' }];
    const failure = send();
    await expect(failure).rejects.toBeInstanceOf(Problem);
    await expect(failure).rejects.toMatchObject({ type: 'vendor-unavailable' });
  });

  it('a Retry-After beyond the deadline is not slept on', async () => {
    script = [{ status: 429, headers: { 'retry-after': '30' } }, { status: 200 }];
    const response = await send(true, 1_000);
    expect(response.status).toBe(429);
    expect(hits).toBe(1);
  });

  it('a 100 MB answer is not read: cut off after 1 MB as a 502, whether or not its length is declared', async () => {
    for (const declared of [true, false]) {
      hits = 0;
      hugeBytesWritten = 0;
      script = [{ hugeMb: 100, declared }];
      await expect(send(false)).rejects.toMatchObject({ type: 'vendor-unavailable', status: 502, detail: expect.stringContaining('over 1048576 bytes') });
      expect(hits).toBe(1);
      // What left the server before the client hung up: far from 100 MB (socket buffers hold a few MB at most).
      expect(hugeBytesWritten).toBeLessThan(20 * 1024 * 1024);
    }
  });

  it('a request that cannot be built (a header with a newline) is refused before anything is sent, and not retried', async () => {
    script = [{ status: 200 }];
    const secretish = 'tok-123456\r\nx-evil: 1';
    const failure = sendWithRetries(
      { vendor: 'samsara', method: 'PATCH', url, headers: { authorization: `Bearer ${secretish}` }, body: '{}' },
      { policy, deadline: Date.now() + 2_000, retrySafe: true, log: createLogger(), gate },
    );
    await expect(failure).rejects.toMatchObject({ type: 'configuration-error', status: 500, detail: expect.stringContaining('nothing was sent') });
    const problem = (await failure.catch((error: Problem) => error)) as Problem;
    expect(problem.options.uncertain).toBeUndefined();
    expect(problem.options.vendor).toBeUndefined(); // not the vendor's fault: its circuit does not count it
    expect(JSON.stringify(problem.toJSON())).not.toContain('tok-123456');
    expect(problem.detail).toContain('"authorization"');
    expect(hits).toBe(0);
  });

  it('an attempt that may have been delivered keeps the answer uncertain, even when a later attempt could not connect', async () => {
    let calls = 0;
    const fetchTimeoutThenRefused = (async (_url: string | URL | Request, init?: RequestInit) => {
      calls += 1;
      if (calls === 1) {
        // Written to the socket, never answered: the attempt times out.
        await new Promise((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
      }
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const failure = sendWithRetries(
      { vendor: 'chargeapi', method: 'POST', url, headers: { 'idempotency-key': 'k-123' }, body: '{}' },
      { policy: { ...policy, maxAttempts: 2 }, deadline: Date.now() + 2_000, retrySafe: true, log: createLogger(), gate, fetch: fetchTimeoutThenRefused },
    );
    await expect(failure).rejects.toMatchObject({ type: 'vendor-unavailable', options: { uncertain: { idempotencyKey: 'k-123' } } });
    await expect(failure).rejects.toMatchObject({ detail: expect.stringContaining('may or may not have been applied') });
    expect(calls).toBe(2);
  });

  it('a failed TLS handshake is "nothing was sent": the server saw no request', async () => {
    const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/loopback-self-signed.${name}.pem`, import.meta.url)));
    let requests = 0;
    const tls = createHttpsServer({ key: fixture('key'), cert: fixture('cert') }, (_req, res) => {
      requests += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const failure = sendWithRetries(
        { vendor: 'focus', method: 'POST', url: `https://127.0.0.1:${(tls.address() as AddressInfo).port}/api/v2/dof/update_driver`, headers: {}, body: '{}' },
        { policy, deadline: Date.now() + 2_000, retrySafe: false, log: createLogger(), gate },
      );
      await expect(failure).rejects.toMatchObject({ type: 'vendor-unavailable', detail: expect.stringContaining('nothing was sent') });
      const problem = (await failure.catch((error: Problem) => error)) as Problem;
      expect(problem.options.uncertain).toBeUndefined();
      expect(requests).toBe(0);
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  });
});
