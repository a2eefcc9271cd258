/**
 * The OpenAPI 3.1 document, generated from the registry's own zod schemas so it cannot disagree
 * with what the functions accept. Not imported by any handler: it never reaches a bundle.
 */
import * as z from 'zod';
import { dryRunBody } from './dry-run';
import type { AnyOperation } from './operation';
import { acceptsDryRun } from './query-options';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemTypeUri, VENDORS } from './problem';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.core.$ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

const problemSchema = z.object({
  type: z.enum(Object.keys(PROBLEM_TYPES).map((t) => problemTypeUri(t as keyof typeof PROBLEM_TYPES)) as [string, ...string[]]),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('The fields that failed validation'),
  vendor: z
    .object({
      name: z.enum(VENDORS),
      status: z.int().optional(),
      code: z.string().optional(),
      message: z.string().optional(),
      requestId: z.string().optional(),
    })
    .optional()
    .describe('Present when a vendor refused'),
  retryAfter: z.int().optional(),
  confirmationToken: z.string().optional().describe('mass-change-held: repeat the same request with X-Confirm-Mass-Change: <token> (events: "confirmMassChange")'),
  confirmationExpiresAt: z.string().optional().describe('mass-change-held: when the token stops confirming (the end of the window)'),
  deactivationsInWindow: z.int().optional().describe('mass-change-held: vendor records already sent a deactivation in this window'),
  limit: z.int().optional().describe('mass-change-held: MASS_CHANGE_LIMIT'),
});

/** Operations the mass-change guard covers take its confirmation (as a header over HTTP). */
const confirmsMassChange = (operation: AnyOperation): boolean =>
  [operation.eventFields, operation.body].some((schema) => Object.hasOwn((schema as { shape?: object } | undefined)?.shape ?? {}, 'confirmMassChange'));

const pathParameters = (operation: AnyOperation) =>
  Object.entries(operation.params.shape as Record<string, z.core.$ZodType>).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(schema),
  }));

/** Writes only: reads take no query parameter, and repeating them needs no key. */
const writeParameters = [
  {
    name: 'dryRun',
    in: 'query',
    required: false,
    description: 'true: answer the exact vendor requests that would be sent (credentials redacted) and change nothing. Given at most once.',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
  {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'A repeat with the same key and input gets the first answer (header idempotent-replayed: true); another input is a 409.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:\\-]{1,128}$' },
  },
];

const operationObject = (operation: AnyOperation) => ({
  operationId: operation.name,
  summary: operation.summary,
  tags: [operation.name.split('.')[0]],
  'x-eventbridge-detail-type': operation.name,
  parameters: [
    ...pathParameters(operation),
    ...(acceptsDryRun(operation.method) ? writeParameters : []),
    { name: 'X-Correlation-Id', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._:\\-]{1,128}$' } },
    ...(confirmsMassChange(operation)
      ? [{ name: 'X-Confirm-Mass-Change', in: 'header', required: false, description: 'The confirmationToken of a 428 mass-change-held problem', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' } }]
      : []),
  ],
  ...(operation.body
    ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body) } } } }
    : {}),
  responses: {
    '200': {
      description: acceptsDryRun(operation.method) ? 'Success, or with ?dryRun=true the requests that would be sent' : 'Success',
      content: {
        'application/json': {
          schema: acceptsDryRun(operation.method)
            ? { oneOf: [operation.response ? jsonSchema(operation.response) : {}, { $ref: '#/components/schemas/DryRun' }] }
            : operation.response
              ? jsonSchema(operation.response)
              : {},
        },
      },
    },
    default: {
      description: 'RFC 9457 problem details',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
    },
  },
});

export const buildOpenApi = (operations: readonly AnyOperation[]) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'driver-gateway',
      version: '0.1.0',
      description: 'Driver operations against Samsara, DriveQuant, ChargeAPI and Focus CBA. Every operation can also be triggered by an EventBridge event whose detail-type is the operationId.',
    },
    paths,
    components: { schemas: { Problem: jsonSchema(problemSchema), DryRun: jsonSchema(dryRunBody) } },
  };
};
