/** Locally, like the deployed rules: EVENT_SOURCES names the publishers; nothing else triggers an operation. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './gateway';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway({ env: { EVENT_SOURCES: 'hr.system, payroll' } });
});
afterAll(() => gw?.stop());

it('EVENT_SOURCES (comma-separated) replaces the default list', async () => {
  const event = (source: string) => gw.event({ 'detail-type': 'drivequant.setDriverStatus', source, detail: { userId: 'furious-fred', status: 'ENABLE' } });
  for (const source of ['hr.system', 'payroll']) expect((await event(source)).body.invocation, source).toBe('succeeded');
  const refused = await event('driver-gateway.requests');
  expect(refused.status).toBe(404);
  expect(refused.body.detail).toContain('accepted sources: hr.system, payroll');
});
