/**
 * dynalite in a process of its own, for benchmarks that would otherwise spend their own CPU on
 * serving DynamoDB (in AWS the table is elsewhere): the parent gets the URL and stops it by closing
 * the child's stdin.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LocalDynamo } from '../local/dynamodb-local';

const CHILD = process.argv.includes('--dynamo-child');

export const startDynamoProcess = async (): Promise<LocalDynamo> => {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--dynamo-child'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`dynalite process exited with ${code}`)));
  });
  const { url, tableName } = JSON.parse(first) as { url: string; tableName: string };
  return {
    url,
    tableName,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
};

if (CHILD) {
  const { startDynamo } = await import('../local/dynamodb-local');
  const dynamo = await startDynamo();
  process.stdout.write(`${JSON.stringify({ url: dynamo.url, tableName: dynamo.tableName })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void dynamo.stop().then(() => process.exit(0)));
}
