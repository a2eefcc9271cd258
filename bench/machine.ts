/** The machine a benchmark ran on, recorded next to its figures. */
import { cpus, totalmem } from 'node:os';

export const machine = () => ({
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
});
