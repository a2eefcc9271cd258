/** Reads simulator state over HTTP, the way an operator would check a vendor after a change. */
import { loadLocalSecrets } from '../../local/secrets-file';
import type { TestGateway } from './gateway';

const secrets = loadLocalSecrets();

const get = async (url: string, headers: Record<string, string> = {}): Promise<any> => {
  const response = await fetch(url, { headers });
  return response.json();
};

export const vendorState = (gw: TestGateway) => ({
  samsaraDriver: async (id: string) =>
    (await get(`${gw.simulators.urls.samsara}/fleet/drivers/${encodeURIComponent(id)}`, { authorization: `Bearer ${secrets.samsara.apiToken}` })).data,
  drivequantDriver: (userId: string) => get(`${gw.simulators.urls.drivequant}/_sim/drivers/${encodeURIComponent(userId)}`),
  chargeDriver: (driver: string) => get(`${gw.simulators.urls.chargeapi}/v1/drivers/${driver}`, { authorization: `Bearer ${secrets.chargeapi.secretKey}` }),
  focusDrivers: () => get(`${gw.simulators.urls.focus}/_sim/drivers`),
  /** Requests each simulator received, oldest first. */
  requests: (vendor: keyof TestGateway['simulators']['urls']) => get(`${gw.simulators.urls[vendor]}/_sim/requests`),
  /** All requests the four simulators received. */
  totalRequests: async (): Promise<number> => {
    const lists = await Promise.all((['samsara', 'drivequant', 'chargeapi', 'focus'] as const).map((vendor) => get(`${gw.simulators.urls[vendor]}/_sim/requests`)));
    return lists.reduce((sum: number, list: unknown[]) => sum + list.length, 0);
  },
  reset: async () => {
    await Promise.all(Object.values(gw.simulators.urls).map((url) => fetch(`${url}/_sim/reset`, { method: 'POST' })));
  },
});
