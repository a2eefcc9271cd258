import * as z from 'zod/mini';
import type { DryRunBody } from '../core/dry-run';
import { defineOperation } from '../core/operation';
import { Problem } from '../core/problem';
import { getLinks, putLinks } from './links-store';
import { driverIdParam, links } from './model';

const storedLinks = z.object({ driverId: z.string(), links, updatedAt: z.string() });

export const driversPutLinks = defineOperation({
  name: 'drivers.putLinks',
  summary: 'Say which vendor record is this driver (replaces all links)',
  method: 'PUT',
  path: '/v1/drivers/{driverId}/links',
  vendors: [],
  params: driverIdParam,
  body: links,
  response: storedLinks,
  run: async ({ params, body }) => ({ status: 200, body: await putLinks(params.driverId, body), summary: { driverId: params.driverId, vendors: Object.keys(body) } }),
  // Links are the gateway's own data: no vendor request, and nothing stored.
  dryRun: async ({ params }) => ({ status: 200, body: { dryRun: true, driverId: params.driverId, vendors: {} } satisfies DryRunBody, summary: { driverId: params.driverId, dryRun: true } }),
});

export const driversGetLinks = defineOperation({
  name: 'drivers.getLinks',
  summary: "Read a driver's vendor links",
  method: 'GET',
  path: '/v1/drivers/{driverId}/links',
  vendors: [],
  params: driverIdParam,
  body: undefined,
  response: storedLinks,
  run: async ({ params }) => {
    const stored = await getLinks(params.driverId);
    if (!stored) throw new Problem('driver-not-linked', `Driver "${params.driverId}" has no vendor links.`);
    return { status: 200, body: stored, summary: { driverId: params.driverId, vendors: Object.keys(stored.links) } };
  },
});
