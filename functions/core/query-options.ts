/**
 * The query string is as strict as a body: every write operation takes `dryRun=true|false`, read
 * operations take nothing, and an unknown name (`dryrun`), a repeated one or a bad value is a 400
 * naming it — a typo must never turn a dry run into a real write.
 */
import type { HttpMethod } from './operation';
import type { FieldError } from './problem';
import { validationProblem } from './validation';

export interface QueryOptions {
  /** Describe the vendor requests instead of sending them; nothing is changed anywhere. */
  dryRun: boolean;
}

export const acceptsDryRun = (method: HttpMethod): boolean => method !== 'GET';

export const queryOptions = (
  method: HttpMethod,
  query: Record<string, string | undefined>,
  repeated: readonly string[] = [],
): QueryOptions => {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (name !== 'dryRun' || !acceptsDryRun(method)) {
      errors.push({ path: `query.${name}`, message: acceptsDryRun(method) ? 'Unknown query parameter (the only one is dryRun)' : 'Unknown query parameter (this route takes none)' });
    } else if (repeated.includes(name)) {
      errors.push({ path: `query.${name}`, message: 'Given more than once' });
    } else if (value !== 'true' && value !== 'false') {
      errors.push({ path: `query.${name}`, message: 'Must be true or false' });
    }
  }
  if (errors.length > 0) throw validationProblem(errors);
  return { dryRun: query.dryRun === 'true' };
};
