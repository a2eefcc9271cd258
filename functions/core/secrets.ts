/**
 * Vendor credentials from AWS Secrets Manager: read at first use, cached for a bounded time, and
 * re-read at most once per failed version when a vendor says our credentials are wrong (rotation).
 * Concurrent callers share one read, so a burst of 401s causes one re-read, not a storm.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as z from 'zod/mini';
import { lazyClient } from './aws-clients';
import { numberFromEnv, secretIdFor } from './config';
import { Problem, type VendorName } from './problem';
import { rememberSecrets, stringLeaves } from './secret-scrubber';

export interface SecretSpec<S> {
  name: VendorName;
  secretSchema: z.ZodMiniType<S>;
}

export interface Credentials<S> {
  value: S;
  /** Increases on every read, so a refresh can tell whether someone else already re-read. */
  version: number;
}

interface Entry {
  pending: Promise<Credentials<unknown>>;
  fetchedAt: number;
}

const secretsManager = lazyClient('secrets-manager', () => new SecretsManagerClient({}));

const cache = new Map<VendorName, Entry>();
let reads = 0;

const ttlMs = (): number => numberFromEnv('SECRETS_TTL_SECONDS', 300) * 1000;

const read = async <S>(spec: SecretSpec<S>): Promise<Credentials<S>> => {
  const secretId = secretIdFor(spec.name);
  const version = ++reads;
  let text: string | undefined;
  try {
    const output = await secretsManager().send(new GetSecretValueCommand({ SecretId: secretId }));
    text = output.SecretString;
  } catch (error) {
    throw new Problem('configuration-error', `The ${spec.name} secret "${secretId}" could not be read.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    json = undefined;
  }
  // Remembered before validation: a malformed secret is still a secret, wherever it may surface.
  rememberSecrets(json === undefined ? (text ? [text] : []) : stringLeaves(json));
  const parsed = spec.secretSchema.safeParse(json);
  if (!parsed.success) {
    // Name each key and what is wrong with it, never a value (the schemas' messages quote none).
    const problems = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
    throw new Problem('configuration-error', `The ${spec.name} secret "${secretId}" is not valid: ${problems.join('; ')}.`);
  }
  return { value: parsed.data, version };
};

const load = <S>(spec: SecretSpec<S>): Promise<Credentials<S>> => {
  const pending = read(spec);
  const entry: Entry = { pending, fetchedAt: Date.now() };
  cache.set(spec.name, entry);
  // A failed read must not be cached: the next call tries again.
  pending.catch(() => {
    if (cache.get(spec.name) === entry) cache.delete(spec.name);
  });
  return pending;
};

export const getCredentials = <S>(spec: SecretSpec<S>): Promise<Credentials<S>> => {
  const entry = cache.get(spec.name);
  if (entry && Date.now() - entry.fetchedAt < ttlMs()) return entry.pending as Promise<Credentials<S>>;
  return load(spec);
};

/** Re-reads only if `stale` is still the cached version; otherwise returns what another caller already read. */
export const refreshCredentials = async <S>(spec: SecretSpec<S>, stale: Credentials<S>): Promise<Credentials<S>> => {
  const entry = cache.get(spec.name);
  if (entry) {
    const current = (await entry.pending.catch(() => undefined)) as Credentials<S> | undefined;
    if (current && current.version !== stale.version) return current;
  }
  return load(spec);
};

/** For tests and the local runner after it changes secrets. */
export const clearSecretCache = (): void => {
  cache.clear();
};

/** Number of Secrets Manager reads so far in this process: lets tests prove "one re-read, not a storm". */
export const secretReadCount = (): number => reads;
