import { beforeEach, describe, expect, it, vi } from 'vitest';
import { aggregateStatus, describePlans } from '../../functions/drivers/fan-out';
import { planOffboard, planStatus, planUpdate } from '../../functions/drivers/plans';
import { Problem } from '../../functions/core/problem';

const links = {
  samsara: { id: 'payrollId:ABFS18600' },
  drivequant: { userId: 'susan-jones' },
  chargeapi: { driver: 'drv_susan', fleets: ['flt_east', 'flt_west'] },
  focus: { identifiers: { driver_number: 'D-1001' } },
};

describe('result aggregation', () => {
  it('is 200 when nothing failed (skips included), 207 when some failed, 502 when all called vendors failed', () => {
    expect(aggregateStatus({ samsara: { outcome: 'succeeded' }, focus: { outcome: 'skipped' } })).toBe(200);
    expect(aggregateStatus({ samsara: { outcome: 'succeeded' }, focus: { outcome: 'failed' } })).toBe(207);
    expect(aggregateStatus({ samsara: { outcome: 'failed', status: 502 }, focus: { outcome: 'failed', status: 404 }, chargeapi: { outcome: 'skipped' } })).toBe(502);
    expect(aggregateStatus({ samsara: { outcome: 'uncertain', status: 504 }, focus: { outcome: 'failed', status: 404 } })).toBe(502);
    expect(aggregateStatus({ samsara: { outcome: 'failed' }, focus: { outcome: 'failed', status: 404 } })).toBe(502);
    expect(aggregateStatus({})).toBe(200);
  });

  it('when every called vendor refused the request itself, answers that 4xx (422 when they differ), never a 5xx', () => {
    expect(aggregateStatus({ samsara: { outcome: 'failed', status: 404 }, focus: { outcome: 'failed', status: 404 }, chargeapi: { outcome: 'skipped' } })).toBe(404);
    expect(aggregateStatus({ samsara: { outcome: 'failed', status: 400 }, drivequant: { outcome: 'failed', status: 400 } })).toBe(400);
    expect(aggregateStatus({ samsara: { outcome: 'failed', status: 404 }, focus: { outcome: 'failed', status: 409 } })).toBe(422);
  });
});

describe('plans', () => {
  // Focus has no public base URL: live deployments must configure one.
  beforeEach(() => {
    vi.stubEnv('FOCUS_BASE_URL', 'https://acme.focussi.com');
  });

  it('update calls Samsara and Focus, and says why DriveQuant and ChargeAPI are skipped', () => {
    const plans = planUpdate(links, { firstName: 'Susan', lastName: 'Smith', email: 'susan@example.com' });
    const byVendor = Object.fromEntries(plans.map((plan) => [plan.vendor, plan]));
    expect(byVendor.samsara).toMatchObject({ kind: 'call', skipped: ['email'] });
    expect(byVendor.focus).toMatchObject({ kind: 'call', skipped: [] });
    expect(byVendor.drivequant).toMatchObject({ kind: 'skip', skipped: ['firstName', 'lastName', 'email'] });
    expect(byVendor.chargeapi).toMatchObject({ kind: 'skip' });
  });

  it('status maps inactive to Samsara deactivation with the effective time and DriveQuant DISABLE', () => {
    const effectiveAt = new Date(Date.now() - 86_400_000).toISOString();
    const described = describePlans(planStatus(links, { status: 'inactive', effectiveAt }), {}) as Record<string, any>;
    expect(described.samsara.requests[0].body).toEqual({ driverActivationStatus: 'deactivated', deactivatedAtTime: effectiveAt });
    expect(described.drivequant.requests[0]).toMatchObject({ method: 'PUT', body: { status: 'DISABLE' } });
    expect(described.drivequant.skipped).toEqual(['effectiveAt']);
  });

  it('offboard detaches from every linked fleet with a stable idempotency key per fleet', () => {
    const named = { idempotencyKey: 'key-1' };
    const first = describePlans(planOffboard(links, undefined, 'key-1'), named) as Record<string, any>;
    const again = describePlans(planOffboard(links, undefined, 'key-1'), named) as Record<string, any>;
    expect(first.chargeapi.requests.map((r: any) => r.body.fleet)).toEqual(['flt_east', 'flt_west']);
    const keys = first.chargeapi.requests.map((r: any) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(2);
    expect(again.chargeapi.requests.map((r: any) => r.headers['idempotency-key'])).toEqual(keys);
    // Without an Idempotency-Key the real request derives its key from its own request id: the dry run says so.
    const unnamed = describePlans(planOffboard(links, undefined, 'api-request-id'), {}) as Record<string, any>;
    expect(unnamed.chargeapi.requests[0].headers['idempotency-key']).toMatch(/^\[derived from the request/);
  });

  it('offboard treats "already out of that fleet" as done, and nothing else', () => {
    const plan = planOffboard(links, undefined, 'k').find((p) => p.vendor === 'chargeapi');
    if (plan?.kind !== 'call') throw new Error('expected a ChargeAPI call');
    const conflict = new Problem('vendor-conflict', 'x', { vendor: { name: 'chargeapi', code: 'driver_fleet_conflict' } });
    const missing = new Problem('vendor-not-found', 'x', { vendor: { name: 'chargeapi', code: 'fleet_not_found' } });
    expect(plan.steps[0]!.alreadyDone!(conflict)).toBe(true);
    expect(plan.steps[0]!.alreadyDone!(missing)).toBe(false);
  });

  it('dry-run descriptions carry no credential', () => {
    const described = JSON.stringify(describePlans(planUpdate(links, { firstName: 'A', lastName: 'B' }), {}));
    expect(described).toContain('[redacted]');
    expect(described).not.toMatch(/Bearer (?!\[redacted\])|Basic (?!\[redacted\])/);
    expect(JSON.parse(described).focus.requests[0].body.fleet_token).toBe('[redacted]');
  });

  it('a vendor body the vendor operation would refuse is a 400 before anything is sent', () => {
    expect(() => planStatus({ samsara: { id: '1' } }, { status: 'inactive', effectiveAt: '2000-01-01T00:00:00Z' })).toThrow(Problem);
  });
});
