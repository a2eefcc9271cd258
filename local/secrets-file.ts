/** Local secrets: the demo values in local/secrets.example.json, overridden per vendor by .secrets.local.json. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VENDORS, type VendorName } from '../functions/core/problem';

export const EXAMPLE_SECRETS_FILE = fileURLToPath(new URL('./secrets.example.json', import.meta.url));
export const LOCAL_SECRETS_FILE = fileURLToPath(new URL('../.secrets.local.json', import.meta.url));

export type LocalSecrets = Record<VendorName, Record<string, string>>;

const readJson = (file: string): Partial<LocalSecrets> => JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;

export const loadLocalSecrets = (overrideFile = LOCAL_SECRETS_FILE): LocalSecrets => {
  const example = readJson(EXAMPLE_SECRETS_FILE);
  const override = existsSync(overrideFile) ? readJson(overrideFile) : {};
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, override[vendor] ?? example[vendor] ?? {}])) as LocalSecrets;
};
