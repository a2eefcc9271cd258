/**
 * Redaction by value. Key-name redaction (logger.ts) cannot see a credential inside free text, such
 * as a vendor answering `401 "Invalid credentials: Bearer <token>"` or an exception quoting a header.
 * Every secret value the process loads is remembered here, with the forms it travels in (the header
 * values built from it, base64, URL- and JSON-escaped), and scrubbed from any text before that text
 * reaches a caller, an event, a Lambda error or a log line.
 */
export const SCRUBBED = '[redacted]';

/** Shorter values are not credentials (and scrubbing them would shred ordinary words). */
const MIN_LENGTH = 4;
/** Bounded so rotation after rotation cannot grow a warm instance without end; oldest go first. */
const MAX_FORMS = 512;

const forms = new Set<string>();
let pattern: RegExp | undefined;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const formsOf = (value: string): string[] => {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [
    value,
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(value, 'utf8').toString('base64url'),
    JSON.stringify(value).slice(1, -1),
    ...urlEncoded(value),
  ];
};

const urlEncoded = (value: string): string[] => {
  try {
    return [encodeURIComponent(value)];
  } catch {
    return []; // a lone surrogate cannot be URL-encoded, so it cannot travel that way either
  }
};

const add = (form: string): boolean => {
  if (form.length < MIN_LENGTH || forms.has(form)) return false;
  forms.add(form);
  if (forms.size > MAX_FORMS) forms.delete(forms.values().next().value!);
  return true;
};

/**
 * Remembers secret values. A header value such as `Basic dXNlcjpwYXNz` is remembered whole and by
 * its credential part, since that part (base64 of `user:pass`) is not derivable from either value.
 */
export const rememberSecrets = (values: Iterable<string>): void => {
  let changed = false;
  for (const value of values) {
    const credential = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(value)?.[1];
    for (const candidate of credential ? [value, credential] : [value]) {
      for (const form of formsOf(candidate)) changed = add(form) || changed;
    }
  }
  // Longest first, so a whole `Bearer <token>` header goes before the token inside it.
  if (changed) pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
};

/** Every string leaf of a parsed secret (whatever its shape: even a malformed one must not leak). */
export const stringLeaves = (value: unknown, depth = 0): string[] => {
  if (typeof value === 'string') return [value];
  if (depth > 4 || !value || typeof value !== 'object') return [];
  return Object.values(value).flatMap((item) => stringLeaves(item, depth + 1));
};

export const scrubText = (text: string): string => (pattern ? text.replace(pattern, SCRUBBED) : text);

/**
 * A copy of `value` with every string (keys too) scrubbed; errors become `{name, message}`.
 * Bounded in depth like the logger, so hostile nesting cannot exhaust the stack.
 */
export const scrubDeep = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return scrubText(value);
  if (!pattern || value === null || typeof value !== 'object') return value;
  if (depth > 32) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: scrubText(value.message) };
  // fromEntries defines own properties: a `__proto__` key stays data.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrubText(key), scrubDeep(item, depth + 1)]));
};

/** For tests: forget every remembered value. */
export const forgetSecrets = (): void => {
  forms.clear();
  pattern = undefined;
};
