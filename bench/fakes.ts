/** Bare loopback vendor fakes for benchmarks: a fixed JSON answer after a fixed delay, nothing else. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fake {
  url: string;
  requests: () => number;
  stop(): Promise<void>;
}

export const startFake = async (body: unknown, delayMs = 0): Promise<Fake> => {
  let count = 0;
  const payload = JSON.stringify(body);
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count += 1;
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(payload);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
