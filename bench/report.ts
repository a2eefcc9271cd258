/** Prints a table and writes the JSON result into bench/results/<name>.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine } from './machine';

export const report = (name: string, rows: Record<string, unknown>[], extra: Record<string, unknown> = {}): void => {
  console.table(rows);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  // CI's tiny smoke runs must not overwrite the recorded figures.
  const file = `${dir}${name}${process.env.BENCH_TINY ? '.tiny' : ''}.json`;
  writeFileSync(file, `${JSON.stringify({ name, at: new Date().toISOString(), machine: machine(), ...extra, rows }, null, 2)}\n`);
  console.log(`wrote ${file}`);
};
