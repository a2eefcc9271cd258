import type * as z from 'zod/mini';
import './zod-messages';
import { Problem, type FieldError } from './problem';

/** Renders a zod path the way callers write it: `body.usDriverRulesetOverride.cycle`, `body.tagIds[2]`. */
export const formatPath = (prefix: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    prefix,
  );

export const fieldErrors = (error: z.core.$ZodError, prefix: string): FieldError[] =>
  error.issues.flatMap((issue): FieldError[] => {
    // An unknown key is reported once per key, at the key's own path, so the caller sees its name.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath(prefix, [...issue.path, key]), message: 'Unknown field' }));
    }
    return [{ path: formatPath(prefix, issue.path), message: issue.message }];
  });

/** A problem lists this many field errors at most and says how many more there were. */
export const MAX_LISTED_ERRORS = 50;
/** Paths hold caller-chosen keys; a 200 KB key must not make a 200 KB problem. */
const MAX_PATH_LENGTH = 300;

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const validationProblem = (errors: FieldError[], detail?: string): Problem => {
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((error) => ({ path: clip(error.path, MAX_PATH_LENGTH), message: clip(error.message, MAX_PATH_LENGTH) }));
  const omitted = errors.length - listed.length;
  return new Problem(
    'validation-error',
    detail ?? (errors.length === 1 ? `${listed[0]!.path}: ${listed[0]!.message}` : `${errors.length} fields are invalid${omitted > 0 ? `; the first ${listed.length} are listed` : ''}`),
    { errors: listed, ...(omitted > 0 ? { omittedErrors: omitted } : {}) },
  );
};

/** Parses or throws a 400 problem naming every failing field under `prefix` (`body`, `path`, `detail`). */
export const parseOrProblem = <S extends z.ZodMiniType>(schema: S, value: unknown, prefix: string): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationProblem(fieldErrors(result.error, prefix));
};
