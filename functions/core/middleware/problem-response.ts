/**
 * The error boundary. HTTP callers always get an RFC 9457 problem. On the event path a failure the
 * input caused is reported as an outcome event and swallowed (a retry cannot fix it), while a
 * failure that a retry may fix is re-thrown so Lambda retries and, in the end, dead-letters it.
 */
import type { MiddlewareObj } from '@middy/core';
import { problemResponse, toApiGatewayResult } from '../adapters/http-response';
import type { AnyOperation } from '../operation';
import { problemSummary, publishOutcome } from '../outcome-events';
import { toProblem, type Problem } from '../problem';
import { scrubText } from '../secret-scrubber';
import type { GatewayContext } from './invocation-context';

/**
 * What Lambda records for a failed asynchronous invocation, kept 14 days in the on-failure queue:
 * the problem's type and the gateway's own scrubbed detail — never a vendor's words (which may
 * quote a driver's record) nor the raw text of whatever was thrown.
 */
const failureForLambda = (problem: Problem): Error => {
  const error = new Error(scrubText(`${problem.type}: ${problem.detail}`));
  error.name = 'GatewayProblem';
  return error;
};

export const problemResponses = (operation: AnyOperation): MiddlewareObj<unknown, unknown, Error, GatewayContext> => ({
  name: 'problemResponses',
  onError: async (request) => {
    const invocation = request.context.invocation;
    const problem = toProblem(request.error);
    if (problem.status >= 500) {
      // The vendor's free text stays out of logs (it may quote a driver's record): its name, status and ids go in.
      const { message: _words, ...vendor } = problem.options.vendor ?? { name: undefined };
      invocation.log.error(problem.detail, { type: problem.type, status: problem.status, ...(problem.options.vendor ? { vendor } : {}), cause: problem.cause });
    }
    switch (invocation.kind) {
      case 'api-gateway-v1':
      case 'api-gateway-v2':
        request.response = toApiGatewayResult(problemResponse(problem, invocation.correlationId, invocation.http?.path));
        return;
      case 'eventbridge':
        if (problem.retriable) {
          // Leave request.response unset: middy re-throws and Lambda retries, then dead-letters.
          request.error = failureForLambda(problem);
          return;
        }
        await publishOutcome(
          {
            operation: operation.name,
            outcome: 'failed',
            triggerEventId: invocation.eventId ?? '',
            correlationId: invocation.correlationId,
            status: problem.status,
            problem: problemSummary(problem.toJSON()),
          },
          invocation.log,
          operation.outcomeDetailTypes,
        );
        request.response = { status: problem.status, outcome: 'failed', problem: problemSummary(problem.toJSON()) };
        return;
      default:
        request.error = failureForLambda(problem); // an event we do not understand is a deployment error: fail loudly
        return;
    }
  },
});
