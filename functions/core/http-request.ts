/**
 * The trigger-neutral view of an HTTP request, and its validation into an operation's input:
 * content type, size and JSON syntax first, then the schemas, all before anything reaches a vendor.
 */
import { Problem, type FieldError } from './problem';
import type { AnyOperation } from './operation';
import { inputShapeErrors } from './input-shape';
import { fieldErrors, validationProblem } from './validation';

export interface HttpRequest {
  method: string;
  path: string;
  pathParams: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** Query parameters given more than once (payload v1 lists every value). */
  repeatedQuery?: string[];
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
  body?: string;
  /** The platform's id for this request (API Gateway request id). */
  requestId: string;
  /** Path parameters whose percent-encoding is not UTF-8 (e.g. a lone surrogate as %ED%A0%80). */
  malformedPathParams?: string[];
}

export const MAX_BODY_BYTES = 1024 * 1024;

const isJsonMediaType = (contentType: string | undefined): boolean => {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || (type !== undefined && /^application\/[\w.+-]+\+json$/.test(type));
};

/**
 * Path parameters arrive encoded or not depending on the API flavour: decode once. A value that
 * does not decode is kept as it is when it holds a literal `%` (already decoded), and is malformed
 * when it holds percent-escapes that are not UTF-8.
 */
const decodePathParam = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value);
  } catch {
    return /%[0-9A-Fa-f]{2}/.test(value) ? undefined : value;
  }
};

type Values = Record<string, string | undefined> | null | undefined;

/** What both API Gateway payload versions need done the same way to become an HttpRequest. */
export const normalized = {
  pathParams: (params: Values): Pick<HttpRequest, 'pathParams' | 'malformedPathParams'> => {
    const entries = Object.entries(params ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const decoded = entries.map(([name, value]) => [name, value, decodePathParam(value)] as const);
    const malformed = decoded.filter(([, , value]) => value === undefined).map(([name]) => name);
    return {
      pathParams: Object.fromEntries(decoded.map(([name, raw, value]) => [name, value ?? raw])),
      ...(malformed.length ? { malformedPathParams: malformed } : {}),
    };
  },
  repeatedQuery: (multi: Record<string, string[] | undefined> | null | undefined): Pick<HttpRequest, 'repeatedQuery'> => {
    const repeated = Object.entries(multi ?? {}).filter(([, values]) => (values?.length ?? 0) > 1).map(([name]) => name);
    return repeated.length ? { repeatedQuery: repeated } : {};
  },
  headers: (headers: Values) => Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
  body: (body: string | null | undefined, isBase64Encoded: boolean) =>
    body == null ? {} : { body: isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body },
};

const parseBody = (operation: AnyOperation, request: HttpRequest): unknown => {
  const raw = request.body ?? '';
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new Problem('payload-too-large', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
  }
  if (!operation.body) return undefined;
  // An operation whose every body field is optional can be called without a body (e.g. offboard).
  if (raw.trim() === '') {
    if (operation.body.safeParse({}).success) return {};
    throw validationProblem([{ path: 'body', message: 'A JSON body is required' }]);
  }
  if (!isJsonMediaType(request.headers['content-type'])) {
    throw new Problem('unsupported-media-type', `Send the body as application/json (got ${JSON.stringify(request.headers['content-type'] ?? 'no content type')}).`);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Problem('malformed-json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
};

/** Validates path parameters and body together, so the caller hears about every bad field at once. */
export const parseOperationInput = (operation: AnyOperation, parts: { params: unknown; body: unknown }, prefixes: { params: string; body: string }) => {
  // Malformed strings and oversized structures are refused before any schema sees them.
  const shapeErrors = [...inputShapeErrors(parts.params, prefixes.params), ...inputShapeErrors(parts.body, prefixes.body)];
  if (shapeErrors.length > 0) throw validationProblem(shapeErrors);
  const errors: FieldError[] = [];
  const params = operation.params.safeParse(parts.params);
  if (!params.success) errors.push(...fieldErrors(params.error, prefixes.params));
  let body: unknown;
  if (operation.body) {
    const parsed = operation.body.safeParse(parts.body);
    if (parsed.success) body = parsed.data;
    else errors.push(...fieldErrors(parsed.error, prefixes.body));
  }
  if (errors.length > 0 || !params.success) throw validationProblem(errors);
  return { params: params.data, body };
};

export const httpInput = (operation: AnyOperation, request: HttpRequest) => {
  if (request.malformedPathParams?.length) {
    throw validationProblem(request.malformedPathParams.map((name) => ({ path: `path.${name}`, message: 'Must be percent-encoded UTF-8 (this decodes to no valid text)' })));
  }
  return parseOperationInput(operation, { params: request.pathParams, body: parseBody(operation, request) }, { params: 'path', body: 'body' });
};
