/**
 * What each driver operation asks of each linked vendor. Every vendor body is validated with the
 * vendor operation's own schema before anything is sent, so bad input never reaches any vendor.
 */
import type * as z from 'zod/mini';
import { deactivationRecord } from '../core/mass-change-guard';
import { parseOrProblem } from '../core/validation';
import * as chargeapiClient from '../providers/chargeapi/client';
import { chargeapi } from '../providers/chargeapi/vendor';
import * as drivequantClient from '../providers/drivequant/client';
import { setStatusRequest } from '../providers/drivequant/schema';
import { drivequant } from '../providers/drivequant/vendor';
import * as focusClient from '../providers/focus/client';
import { updateDriverRequest as focusUpdateRequest } from '../providers/focus/schema';
import { focus } from '../providers/focus/vendor';
import * as samsaraClient from '../providers/samsara/client';
import { updateDriverRequest as samsaraUpdateRequest } from '../providers/samsara/schema';
import { samsara } from '../providers/samsara/vendor';
import type { VendorPlan, VendorStep } from './fan-out';
import { toFocus, toSamsara } from './mapping';
import type { CanonicalDriverUpdate, DriverLinks } from './model';

const vendorBody = <S extends z.ZodMiniType>(schema: S, value: unknown, vendor: string): z.output<S> => parseOrProblem(schema, value, `${vendor} request`);

const samsaraStep = (id: string, body: unknown): VendorStep => {
  const valid = vendorBody(samsaraUpdateRequest, body, 'samsara');
  return {
    spec: samsara as never,
    request: samsaraClient.updateDriverRequestFor(id, valid),
    send: (ctx) => samsaraClient.updateDriver(id, valid, ctx),
    ...(valid.driverActivationStatus === 'deactivated' ? { deactivates: deactivationRecord('samsara', id) } : {}),
  };
};

const drivequantStep = (userId: string, status: 'ENABLE' | 'DISABLE'): VendorStep => {
  const valid = vendorBody(setStatusRequest, { status }, 'drivequant');
  return {
    spec: drivequant as never,
    request: drivequantClient.setDriverStatusRequestFor(userId, valid),
    send: (ctx) => drivequantClient.setDriverStatus(userId, valid, ctx),
    ...(status === 'DISABLE' ? { deactivates: deactivationRecord('drivequant', userId) } : {}),
  };
};

const nothingToSend = (skipped: string[]) => ({ reason: 'None of the given fields is supported by this vendor', skipped });

export const planUpdate = (links: DriverLinks, update: CanonicalDriverUpdate): VendorPlan[] => {
  const plans: VendorPlan[] = [];
  const requested = Object.keys(update).filter((key) => update[key as keyof CanonicalDriverUpdate] !== undefined);
  if (links.samsara) {
    const { fields, skipped } = toSamsara(update);
    plans.push(
      Object.keys(fields).length
        ? { vendor: 'samsara', kind: 'call', steps: [samsaraStep(links.samsara.id, fields)], skipped }
        : { vendor: 'samsara', kind: 'skip', ...nothingToSend(skipped) },
    );
  }
  if (links.drivequant) plans.push({ vendor: 'drivequant', kind: 'skip', ...nothingToSend(requested) });
  if (links.chargeapi) plans.push({ vendor: 'chargeapi', kind: 'skip', ...nothingToSend(requested) });
  if (links.focus) {
    const { fields, skipped } = toFocus(update);
    const identifiers = links.focus.identifiers;
    if (Object.keys(fields).length) {
      const valid = vendorBody(focusUpdateRequest, { identifiers, driver: fields }, 'focus');
      plans.push({
        vendor: 'focus',
        kind: 'call',
        skipped,
        steps: [{ spec: focus as never, request: focusClient.updateDriverRequestFor(valid), send: (ctx) => focusClient.updateDriver(valid, ctx) }],
      });
    } else plans.push({ vendor: 'focus', kind: 'skip', ...nothingToSend(skipped) });
  }
  return plans;
};

export interface StatusChange {
  status: 'active' | 'inactive';
  effectiveAt?: string;
}

const NO_STATUS = 'This vendor has no driver status the gateway can set';

export const planStatus = (links: DriverLinks, change: StatusChange): VendorPlan[] => {
  const plans: VendorPlan[] = [];
  if (links.samsara) {
    const body = change.status === 'active'
      ? { driverActivationStatus: 'active' }
      : { driverActivationStatus: 'deactivated', ...(change.effectiveAt ? { deactivatedAtTime: change.effectiveAt } : {}) };
    plans.push({ vendor: 'samsara', kind: 'call', steps: [samsaraStep(links.samsara.id, body)] });
  }
  if (links.drivequant) {
    plans.push({
      vendor: 'drivequant',
      kind: 'call',
      steps: [drivequantStep(links.drivequant.userId, change.status === 'active' ? 'ENABLE' : 'DISABLE')],
      // DriveKit applies a status immediately; it cannot be dated.
      ...(change.effectiveAt ? { skipped: ['effectiveAt'] } : {}),
    });
  }
  if (links.chargeapi) plans.push({ vendor: 'chargeapi', kind: 'skip', reason: NO_STATUS });
  if (links.focus) plans.push({ vendor: 'focus', kind: 'skip', reason: NO_STATUS });
  return plans;
};

/** Offboarding = inactive everywhere + detached from every ChargeAPI fleet; a repeat finds it all done. */
export const planOffboard = (links: DriverLinks, effectiveAt: string | undefined, requestKey: string): VendorPlan[] => {
  const plans = planStatus(links, { status: 'inactive', ...(effectiveAt ? { effectiveAt } : {}) }).filter((plan) => plan.vendor !== 'chargeapi');
  const charge = links.chargeapi;
  if (charge) {
    const fleets = charge.fleets ?? [];
    plans.push(
      fleets.length === 0
        ? { vendor: 'chargeapi', kind: 'skip', reason: 'The link names no ChargeAPI fleet to detach from' }
        : {
            vendor: 'chargeapi',
            kind: 'call',
            steps: fleets.map((fleet): VendorStep => ({
              spec: chargeapi as never,
              request: chargeapiClient.detachDriverRequestFor(charge.driver, { fleet }, requestKey),
              send: (ctx) => chargeapiClient.detachDriver(charge.driver, { fleet }, requestKey, ctx),
              // Already out of that fleet: the goal of offboarding is met.
              alreadyDone: (problem) => problem.options.vendor?.code === 'driver_fleet_conflict',
              // Every fleet of one driver is one record: counted once.
              deactivates: deactivationRecord('chargeapi', charge.driver),
            })),
          },
    );
  }
  return plans;
};
