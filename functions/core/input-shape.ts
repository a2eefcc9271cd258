/**
 * What no schema should have to look at: strings that are not well-formed Unicode (a lone UTF-16
 * surrogate makes `encodeURIComponent` throw) and structures too deep or too large (zod collects
 * one issue per bad element, and a 1 MB array of bad elements overflows its stack). Checked on
 * every input — path parameters, bodies, event details — before the schemas run.
 */
import type { FieldError } from './problem';
import { formatPath } from './validation';

export const INPUT_LIMITS = {
  /** Nesting of objects and arrays; the deepest operation input is 4. */
  depth: 16,
  arrayItems: 1_000,
  objectKeys: 1_000,
  /** Every value and key, all levels together. */
  values: 20_000,
  keyLength: 256,
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/** Errors stop being collected at this many: the first ones say enough. */
const MAX_ERRORS = 20;

export const inputShapeErrors = (value: unknown, prefix: string): FieldError[] => {
  const errors: FieldError[] = [];
  let seen = 0;
  // Iterative, so hostile nesting cannot exhaust the stack before the depth limit is noticed.
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { value: item, path } = stack.pop()!;
    const at = () => formatPath(prefix, path);
    if (++seen > INPUT_LIMITS.values) {
      errors.push({ path: prefix, message: `Too many values (at most ${INPUT_LIMITS.values})` });
      break;
    }
    if (typeof item === 'string') {
      if (!isWellFormed(item)) errors.push({ path: at(), message: 'Must be well-formed Unicode (a lone UTF-16 surrogate is not)' });
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (path.length >= INPUT_LIMITS.depth) {
      errors.push({ path: at(), message: `Nested too deeply (at most ${INPUT_LIMITS.depth} levels)` });
      continue;
    }
    if (Array.isArray(item)) {
      if (item.length > INPUT_LIMITS.arrayItems) {
        errors.push({ path: at(), message: `Too many items (at most ${INPUT_LIMITS.arrayItems})` });
        continue;
      }
      for (let i = item.length - 1; i >= 0; i -= 1) stack.push({ value: item[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(item);
    if (keys.length > INPUT_LIMITS.objectKeys) {
      errors.push({ path: at(), message: `Too many fields (at most ${INPUT_LIMITS.objectKeys})` });
      continue;
    }
    seen += keys.length;
    for (const key of keys.reverse()) {
      if (key.length > INPUT_LIMITS.keyLength || !isWellFormed(key)) {
        errors.push({ path: at(), message: `Has a field name that is longer than ${INPUT_LIMITS.keyLength} characters or not well-formed Unicode` });
        continue;
      }
      stack.push({ value: (item as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return errors;
};
