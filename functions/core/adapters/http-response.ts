/**
 * The trigger-neutral HTTP response, how results and problems become one, and how it leaves.
 * Bodies carry vendor text (answers, refusals), so they are scrubbed of loaded secrets here, the
 * one way out to a caller.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { OperationResult } from '../operation';
import type { Problem } from '../problem';
import { scrubDeep } from '../secret-scrubber';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const resultResponse = (result: OperationResult, correlationId: string): HttpResponse => ({
  status: result.status,
  headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId, ...result.headers },
  body: JSON.stringify(scrubDeep(result.body)),
});

export const problemResponse = (problem: Problem, correlationId: string, instance?: string): HttpResponse => ({
  status: problem.status,
  headers: { ...problem.headers(), 'x-correlation-id': correlationId },
  body: JSON.stringify(scrubDeep(problem.toJSON(instance))),
});

/** Both API Gateway payload versions take the same `{statusCode, headers, body}` result. */
export const toApiGatewayResult = (response: HttpResponse): APIGatewayProxyResult => ({
  statusCode: response.status,
  headers: response.headers,
  body: response.body,
});
