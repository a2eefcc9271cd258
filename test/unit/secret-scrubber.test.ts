/** Redaction by value: a loaded secret, in any of the forms it travels in, never survives scrubbing. */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, setLogSink } from '../../functions/core/logger';
import { forgetSecrets, rememberSecrets, scrubDeep, scrubText, SCRUBBED, stringLeaves } from '../../functions/core/secret-scrubber';

afterEach(() => forgetSecrets());

const TOKEN = 'samsara-live-token-4711';
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('scrubText', () => {
  it('scrubs the value and every form it travels in', () => {
    rememberSecrets([TOKEN, `Basic ${b64('fleet-user:pa ss"word')}`]);
    const forms = [
      TOKEN,
      `Bearer ${TOKEN}`,
      b64(TOKEN),
      Buffer.from(TOKEN).toString('base64url'),
      encodeURIComponent(TOKEN),
      `Basic ${b64('fleet-user:pa ss"word')}`,
      b64('fleet-user:pa ss"word'),
    ];
    for (const form of forms) {
      const scrubbed = scrubText(`Invalid credentials: ${form} (request 42)`);
      expect(scrubbed).not.toContain(form);
      expect(scrubbed).toContain('Invalid credentials:');
      expect(scrubbed).toContain(SCRUBBED);
      expect(scrubbed).toContain('(request 42)');
    }
  });

  it('scrubs the JSON-escaped form of a value with quotes or backslashes', () => {
    const secret = 'pa"ss\\word-99';
    rememberSecrets([secret]);
    const json = JSON.stringify({ message: `echo ${secret}` });
    expect(scrubText(json)).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it('leaves text alone when nothing is remembered, and ignores values too short to be credentials', () => {
    expect(scrubText(`Bearer ${TOKEN}`)).toBe(`Bearer ${TOKEN}`);
    rememberSecrets(['abc']);
    expect(scrubText('abcdef')).toBe('abcdef');
  });

  it('survives a secret that is not well-formed Unicode', () => {
    expect(() => rememberSecrets(['tok\ud800en-1234'])).not.toThrow();
    expect(scrubText('x tok\ud800en-1234 y')).toBe(`x ${SCRUBBED} y`);
  });
});

describe('the spellings vendors echo in', () => {
  const SECRET = 'dq/admin~key+0123456789';
  const spellings: Record<string, string> = {
    'JSON with escaped slashes (PHP)': SECRET.replace(/\//g, '\\/'),
    'JSON with \\u escapes': `\\u0064${SECRET.slice(1)}`,
    'upper case': SECRET.toUpperCase(),
    hex: Buffer.from(SECRET).toString('hex'),
    'hex, upper case': Buffer.from(SECRET).toString('hex').toUpperCase(),
    'form-urlencoded': new URLSearchParams({ k: SECRET }).toString().slice(2),
    'lower-case percent-escapes': encodeURIComponent(SECRET).toLowerCase(),
    'every character percent-encoded': Array.from(Buffer.from(SECRET), (b) => `%${b.toString(16)}`).join(''),
    'truncated to its first 18 characters': `${SECRET.slice(0, 18)}...`,
    'truncated to its first half': SECRET.slice(0, Math.ceil(SECRET.length / 2)),
  };

  it.each(Object.entries(spellings))('%s', (_name, spelled) => {
    rememberSecrets([SECRET]);
    const scrubbed = scrubText(`invalid key ${spelled} (see docs)`);
    expect(scrubbed).toBe(`invalid key ${SCRUBBED}${spelled.endsWith('...') ? '...' : ''} (see docs)`);
  });

  it('a space may be a +, a short shared word is left alone', () => {
    rememberSecrets(['pass phrase 0123']);
    expect(scrubText('got pass+phrase+0123 here')).toBe(`got ${SCRUBBED} here`);
    expect(scrubText('the pass was fine')).toBe('the pass was fine');
  });
});

describe('memory', () => {
  it('keeps the values remembered most recently: a live secret, read again, outlives hundreds of rotated ones', () => {
    rememberSecrets([TOKEN]);
    for (let i = 0; i < 300; i += 1) {
      rememberSecrets([`${i}-rotated-value-0123`]);
      if (i % 50 === 0) rememberSecrets([TOKEN]); // every secret read remembers it again
    }
    expect(scrubText(`Bearer ${TOKEN}`)).toBe(`Bearer ${SCRUBBED}`);
    expect(scrubText('299-rotated-value-0123')).toBe(SCRUBBED);
    expect(scrubText('0-rotated-value-0123')).toBe('0-rotated-value-0123');
  });
});

describe('scrubDeep', () => {
  it('scrubs every string and key at any depth, keeps other values, and keeps __proto__ as data', () => {
    rememberSecrets([TOKEN]);
    const input = JSON.parse(`{"a":[{"b":"x ${TOKEN}"}],"${TOKEN}":1,"n":2,"t":true,"z":null,"__proto__":{"polluted":"${TOKEN}"}}`);
    const out = scrubDeep(input) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain(TOKEN);
    expect(out).toMatchObject({ a: [{ b: `x ${SCRUBBED}` }], [SCRUBBED]: 1, n: 2, t: true, z: null });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('turns errors into name and scrubbed message', () => {
    rememberSecrets([TOKEN]);
    expect(scrubDeep(new TypeError(`bad header Bearer ${TOKEN}`))).toEqual({ name: 'TypeError', message: `bad header Bearer ${SCRUBBED}` });
  });
});

describe('the logger', () => {
  it('scrubs remembered values from messages and fields, whatever the key', () => {
    const lines: string[] = [];
    const previous = setLogSink((line) => lines.push(line));
    try {
      rememberSecrets(stringLeaves({ apiToken: TOKEN, nested: { k: 'other-secret-value' } }));
      createLogger().warn(`vendor said Bearer ${TOKEN}`, { vendorMessage: 'echo other-secret-value', cause: new Error(TOKEN) });
    } finally {
      setLogSink(previous);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(TOKEN);
    expect(lines[0]).not.toContain('other-secret-value');
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: `vendor said Bearer ${SCRUBBED}`, vendorMessage: `echo ${SCRUBBED}` });
  });
});
