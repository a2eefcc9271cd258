/** Input that no schema should see: malformed strings and oversized structures, refused with a path. */
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, inputShapeErrors } from '../../functions/core/input-shape';
import { MAX_LISTED_ERRORS, validationProblem } from '../../functions/core/validation';

describe('inputShapeErrors', () => {
  it('accepts ordinary input, emoji and astral characters included', () => {
    expect(inputShapeErrors({ name: 'Zoë 𝒳 🚚', tags: ['a', 'b'], n: 1, ok: true, none: null }, 'body')).toEqual([]);
  });

  it('names every lone surrogate, in values and in keys', () => {
    expect(inputShapeErrors({ name: 'a\ud800', list: ['ok', '\udfff'] }, 'body')).toEqual([
      { path: 'body.name', message: expect.stringContaining('well-formed Unicode') },
      { path: 'body.list[1]', message: expect.stringContaining('well-formed Unicode') },
    ]);
    expect(inputShapeErrors({ ['k\ud800']: 1 }, 'detail')).toEqual([{ path: 'detail', message: expect.stringContaining('not well-formed') }]);
    expect(inputShapeErrors('\ud800', 'path.id')).toEqual([{ path: 'path.id', message: expect.stringContaining('well-formed') }]);
  });

  it('refuses too many items, too many fields, too deep, too long a key', () => {
    expect(inputShapeErrors({ tagIds: Array(INPUT_LIMITS.arrayItems + 1).fill('') }, 'body')).toEqual([
      { path: 'body.tagIds', message: `Too many items (at most ${INPUT_LIMITS.arrayItems})` },
    ]);
    const wide = Object.fromEntries(Array.from({ length: INPUT_LIMITS.objectKeys + 1 }, (_, i) => [`k${i}`, i]));
    expect(inputShapeErrors({ custom: wide }, 'body')[0]).toEqual({ path: 'body.custom', message: expect.stringContaining('Too many fields') });
    let deep: unknown = 'x';
    for (let i = 0; i < INPUT_LIMITS.depth + 1; i += 1) deep = [deep];
    expect(inputShapeErrors(deep, 'body')[0]?.message).toContain('Nested too deeply');
    expect(inputShapeErrors({ ['k'.repeat(INPUT_LIMITS.keyLength + 1)]: 1 }, 'body')).toHaveLength(1);
  });

  it('walks 20,000 levels of nesting and a million values without exhausting the stack, stopping early', () => {
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    expect(inputShapeErrors(deep, 'body')).toHaveLength(1);
    const many = Array.from({ length: 1_000 }, () => Array(1_000).fill(0));
    expect(inputShapeErrors(many, 'body')).toEqual([{ path: 'body', message: `Too many values (at most ${INPUT_LIMITS.values})` }]);
  });
});

describe('validationProblem', () => {
  it('lists at most MAX_LISTED_ERRORS field errors and says how many more there were', () => {
    const errors = Array.from({ length: 120 }, (_, i) => ({ path: `body.tagIds[${i}]`, message: 'Too small' }));
    const doc = validationProblem(errors).toJSON();
    expect(doc.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(doc.omittedErrors).toBe(120 - MAX_LISTED_ERRORS);
    expect(doc.detail).toBe(`120 fields are invalid; the first ${MAX_LISTED_ERRORS} are listed`);
  });

  it('clips a caller-chosen 100 KB field name instead of repeating it', () => {
    const doc = validationProblem([{ path: `body.${'k'.repeat(100_000)}`, message: 'Unknown field' }]).toJSON();
    expect(JSON.stringify(doc).length).toBeLessThan(2_000);
  });
});
