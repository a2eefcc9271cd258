/** The query string is as strict as a body: only `dryRun`, once, `true` or `false`, and only on writes. */
import { describe, expect, it } from 'vitest';
import { queryOptions } from '../../functions/core/query-options';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { options: { errors: unknown } }).options.errors;
  }
  throw new Error('was not refused');
};

describe('queryOptions', () => {
  it('reads dryRun on writes', () => {
    expect(queryOptions('PATCH', {})).toEqual({ dryRun: false });
    expect(queryOptions('PUT', { dryRun: 'true' })).toEqual({ dryRun: true });
    expect(queryOptions('POST', { dryRun: 'false' })).toEqual({ dryRun: false });
  });

  it('refuses a misspelling, another parameter, a repeat and a bad value, naming each', () => {
    expect(refusal(() => queryOptions('PUT', { dryrun: 'true', force: '1' }))).toEqual([
      { path: 'query.dryrun', message: 'Unknown query parameter (the only one is dryRun)' },
      { path: 'query.force', message: 'Unknown query parameter (the only one is dryRun)' },
    ]);
    expect(refusal(() => queryOptions('PUT', { dryRun: 'false' }, ['dryRun']))).toEqual([{ path: 'query.dryRun', message: 'Given more than once' }]);
    // API Gateway HTTP APIs join repeated values with a comma.
    expect(refusal(() => queryOptions('PUT', { dryRun: 'true,false' }))).toEqual([{ path: 'query.dryRun', message: 'Must be true or false' }]);
    expect(refusal(() => queryOptions('PUT', { dryRun: '' }))).toEqual([{ path: 'query.dryRun', message: 'Must be true or false' }]);
  });

  it('a read takes no parameter, not even dryRun', () => {
    expect(queryOptions('GET', {})).toEqual({ dryRun: false });
    expect(refusal(() => queryOptions('GET', { dryRun: 'true' }))).toEqual([{ path: 'query.dryRun', message: 'Unknown query parameter (this route takes none)' }]);
  });
});
