/** `npm start`: the whole gateway on one port, with vendor simulators. Ctrl-C stops everything. */
import { bindHost } from './bind-host';
import { startLocal } from './runner';

const port = Number(process.env.PORT ?? 3000);
// One line per request from the runner; the functions' own info lines only when asked (LOG_LEVEL=info).
process.env.LOG_LEVEL ??= 'warn';
const { host, warning } = bindHost(process.env);
if (warning) process.stderr.write(`\n${'!'.repeat(100)}\n${warning}\n${'!'.repeat(100)}\n\n`);
const gateway = await startLocal({ port, host });

const vendors = Object.entries(gateway.simulators.urls)
  .map(([vendor, url]) => `  ${vendor.padEnd(10)} ${gateway.live.includes(vendor as never) ? `LIVE ${process.env[`${vendor.toUpperCase()}_BASE_URL`]}` : `simulator ${url}`}`)
  .join('\n');
process.stdout.write(
  `driver-gateway listening on ${gateway.url}\n` +
    `  OpenAPI     ${gateway.url}/openapi.json\n` +
    `  events      POST ${gateway.url}/_local/events\n` +
    `vendors:\n${vendors}\n`,
);

const shutdown = async (): Promise<void> => {
  await gateway.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
