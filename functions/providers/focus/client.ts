import type { VendorRequest } from '../../core/vendor';
import { callVendor, expectBody, type OutboundContext } from '../../core/vendor-call';
import { vendorProblem } from '../../core/vendor-errors';
import { focusAnswer, WIRE_IDENTIFIER_KEYS, type FocusUpdateDriverRequest } from './schema';
import { focus } from './vendor';

/** Absent stays absent; `null` becomes the blank that tells CBA to clear the field. */
const wireValues = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, value === null ? '' : value && typeof value === 'object' ? wireValues(value as Record<string, unknown>) : value]),
  );

export const updateDriverRequestFor = (request: FocusUpdateDriverRequest): VendorRequest => ({
  method: 'POST',
  path: '/api/v2/dof/update_driver',
  body: {
    identifiers: Object.fromEntries(
      Object.entries(request.identifiers)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [WIRE_IDENTIFIER_KEYS[key as keyof typeof WIRE_IDENTIFIER_KEYS], value]),
    ),
    driver: wireValues(request.driver),
  },
  // All-or-nothing and carrying full values: sending the same update again leaves the same driver.
  retrySafe: true,
});

export const updateDriver = async (request: FocusUpdateDriverRequest, ctx: OutboundContext) => {
  const response = await callVendor(focus, updateDriverRequestFor(request), ctx);
  const answer = expectBody('focus', response, focusAnswer);
  // CBA reports refusals such as NoDriver inside a 2xx answer.
  if (!answer.success) throw vendorProblem(focus, response);
  return answer;
};
