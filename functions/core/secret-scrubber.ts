/**
 * Redaction by value. Key-name redaction (logger.ts) cannot see a credential inside free text, such
 * as a vendor answering `401 "Invalid credentials: Bearer <token>"` or an exception quoting a header.
 * Every secret value the process loads is remembered here, with the header values built from it,
 * and scrubbed from any text before that text reaches a caller, an event, a Lambda error or a log.
 *
 * Vendors echo in many spellings, so each value is matched character by character in any of them:
 * as is, JSON-escaped (`\/`, `\u0064`), percent-encoded (either case, `+` for a space), in either
 * letter case, base64 or hex of the whole; and by its first half or more, since a truncated echo
 * (`dq/admin~key+01234...`) still gives most of a credential away.
 */
export const SCRUBBED = '[redacted]';

/**
 * Shorter values are not credentials (every secret value but a Focus user name is refused below
 * 8 characters) and scrubbing them would shred ordinary words (`admin`, `fleet`).
 */
const MIN_LENGTH = 8;
/**
 * Bounded so rotation after rotation cannot grow a warm instance without end (four vendors' secrets
 * and headers take about 12); least recently remembered go first.
 */
const MAX_VALUES = 64;

/** Insertion order = recency: remembering a value again moves it to the end. */
const values = new Set<string>();
/** Finds where some remembered form starts (its required prefix); built lazily, on the first scrub after a change. */
let finder: RegExp | undefined;
/** Every form as the spellings of each of its characters, to check and extend a found start in code. */
let formSpellings: string[][][] = [];
let stale = false;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const hex = (byte: number): string => byte.toString(16).padStart(2, '0');

const knownSpellings = new Map<string, string[]>();

/** Every way one character of a secret may be written in a vendor's text (compared without letter case). */
const spellingsOf = (character: string): string[] => {
  const known = knownSpellings.get(character);
  if (known) return known;
  const code = character.codePointAt(0)!;
  const spellings = new Set([character.toLowerCase()]);
  spellings.add(code < 0x80 ? `%${hex(code)}` : Array.from(Buffer.from(character, 'utf8'), (byte) => `%${hex(byte)}`).join(''));
  if (code < 0x10000) spellings.add(`\\u${code.toString(16).padStart(4, '0')}`);
  if (character === '/' || character === '"' || character === '\\') spellings.add(`\\${character}`);
  if (character === ' ') spellings.add('+');
  // Longest first: in `\\` (an escaped backslash) the escape must win over a lone backslash.
  const sorted = [...spellings].sort((a, b) => b.length - a.length);
  knownSpellings.set(character, sorted);
  return sorted;
};

const characterPattern = (character: string): string => {
  const spellings = spellingsOf(character).map(escapeRegExp);
  return spellings.length === 1 ? spellings[0]! : `(?:${spellings.join('|')})`;
};

/** How many first characters of a form the finder looks for (few: a small pattern compiles fast). */
const FINDER_PREFIX = 4;

/** A truncated echo counts once it shows this much of a secret: half of it, and at least 8 characters. */
const requiredLength = (characters: readonly unknown[]): number => Math.min(characters.length, Math.max(8, Math.ceil(characters.length / 2)));

/** Where one of a character's `spellings` at `index` of `text` ends, or -1. */
const characterEnd = (text: string, index: number, spellings: string[]): number => {
  for (const spelling of spellings) {
    if (text.slice(index, index + spelling.length).toLowerCase() === spelling) return index + spelling.length;
  }
  return -1;
};

/** Where the longest run of a form (at least its required prefix) starting at `index` ends, or -1. */
const formEnd = (text: string, index: number, form: string[][]): number => {
  let end = index;
  for (let i = 0; i < form.length; i += 1) {
    const next = characterEnd(text, end, form[i]!);
    if (next < 0) return i >= requiredLength(form) ? end : -1;
    end = next;
  }
  return end;
};

/** The encodings of the whole value that are not spellings of its characters. */
const wholeEncodings = (value: string): string[] => {
  const bytes = Buffer.from(value, 'utf8');
  const base64 = bytes.toString('base64');
  return [base64, base64.replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('hex')];
};

const rebuild = (): void => {
  stale = false;
  const forms = [...new Set([...values].flatMap((value) => [value, ...wholeEncodings(value)]))].filter((form) => form.length >= MIN_LENGTH);
  const formCharacters = forms.map((form) => Array.from(form));
  formSpellings = formCharacters.map((characters) => characters.map(spellingsOf));
  // The finder only spots where a form may start (its first characters): a small pattern compiles in
  // well under a millisecond on a cold start; formEnd then checks and extends each candidate in code.
  const sources = [...new Set(formCharacters.map((characters) => characters.slice(0, FINDER_PREFIX).map(characterPattern).join('')))];
  finder = sources.length ? new RegExp(sources.join('|'), 'gi') : undefined;
};

/**
 * Remembers secret values. A header value such as `Basic dXNlcjpwYXNz` is remembered whole and by
 * its credential part, since that part (base64 of `user:pass`) is not derivable from either value.
 */
export const rememberSecrets = (candidates: Iterable<string>): void => {
  let changed = false;
  for (const candidate of candidates) {
    // A dry run's placeholder credentials are not secrets.
    if (candidate.includes(SCRUBBED)) continue;
    const credential = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(candidate)?.[1];
    for (const value of credential ? [candidate, credential] : [candidate]) {
      if (value.length < MIN_LENGTH) continue;
      if (values.has(value)) values.delete(value);
      else changed = true;
      values.add(value);
    }
  }
  while (values.size > MAX_VALUES) {
    values.delete(values.values().next().value!);
    changed = true;
  }
  if (changed) stale = true;
};

/** Every string leaf of a parsed secret (whatever its shape: even a malformed one must not leak). */
export const stringLeaves = (value: unknown, depth = 0): string[] => {
  if (typeof value === 'string') return [value];
  if (depth > 4 || !value || typeof value !== 'object') return [];
  return Object.values(value).flatMap((item) => stringLeaves(item, depth + 1));
};

/**
 * Replaces every remembered value. At each place one starts, the longest match of any form wins
 * (regex alternation would take the first): similar secrets (a rotated token and its successor)
 * must not leave the tail of one behind.
 */
export const scrubText = (text: string): string => {
  if (stale) rebuild();
  if (!finder) return text;
  let scrubbed = '';
  let done = 0;
  finder.lastIndex = 0;
  for (let found = finder.exec(text); found !== null; found = finder.exec(text)) {
    let end = -1;
    for (const form of formSpellings) end = Math.max(end, formEnd(text, found.index, form));
    if (end < 0) {
      // Only the first characters of some form: not a secret here; look again one character on.
      finder.lastIndex = found.index + 1;
      continue;
    }
    scrubbed += `${text.slice(done, found.index)}${SCRUBBED}`;
    done = end;
    finder.lastIndex = end;
  }
  return scrubbed + text.slice(done);
};

/**
 * A copy of `value` with every string (keys too) scrubbed; errors become `{name, message}`.
 * Bounded in depth like the logger, so hostile nesting cannot exhaust the stack.
 */
export const scrubDeep = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (stale) rebuild();
  if (!finder) return value;
  if (depth > 32) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: scrubText(value.message) };
  // fromEntries defines own properties: a `__proto__` key stays data.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrubText(key), scrubDeep(item, depth + 1)]));
};

/** For tests: forget every remembered value. */
export const forgetSecrets = (): void => {
  values.clear();
  stale = true;
};
