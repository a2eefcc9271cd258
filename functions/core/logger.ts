/**
 * Structured JSON logs, one line per call. Keys that can carry credentials or personal data are
 * redacted wherever they appear, so a careless `log.info('x', { body })` still cannot leak them.
 */
import { scrubText } from './secret-scrubber';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SENSITIVE_KEY = /pass(word)?|secret|token|authori[sz]ation|api[-_]?key|cookie|credential|image|licen[cs]e|^dob$|date_?of_?birth/i;
export const REDACTED = '[redacted]';

/** By key name at any depth, and by value: a loaded secret inside any text is scrubbed too. */
export const redact = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 8) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    // The stack and the cause are what an operator debugs with; both are scrubbed like the message.
    return {
      name: value.name,
      message: scrubText(value.message),
      ...(value.stack ? { stack: scrubText(value.stack) } : {}),
      ...(value.cause !== undefined ? { cause: redact(value.cause, depth + 1) } : {}),
    };
  }
  if (value && typeof value === 'object') {
    // fromEntries defines own properties: a `__proto__` key stays data.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [scrubText(key), SENSITIVE_KEY.test(key) ? REDACTED : redact(item, depth + 1)]),
    );
  }
  return value;
};

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);
/** Tests and the local runner capture log lines here; Lambda's stdout is the default. */
export const setLogSink = (next: LogSink): LogSink => {
  const previous = sink;
  sink = next;
  return previous;
};

const threshold = (): number => LEVELS[(process.env.LOG_LEVEL?.toLowerCase() as Level) ?? 'info'] ?? LEVELS.info;

export const createLogger = (base: LogFields = {}): Logger => {
  const write = (level: Level, message: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold()) return;
    const entry = redact({ timestamp: new Date().toISOString(), level, message, ...base, ...fields });
    sink(JSON.stringify(entry));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
};
