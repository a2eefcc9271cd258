// One cold start in a fresh process: import the bundle, invoke it once, report the times.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const started = performance.now();
const module = await import(pathToFileURL(process.argv[2]).href);
const imported = performance.now();
const event = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 25_000 };
const response = await module.handler(event, context);
const done = performance.now();
// Exit at once: open keep-alive sockets would otherwise hold the process, as Lambda would freeze it.
process.stdout.write(JSON.stringify({ importMs: imported - started, invokeMs: done - imported, totalMs: done - started, status: response?.statusCode }), () => process.exit(0));
