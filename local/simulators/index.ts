/** Starts the four vendor simulators on loopback, each on its own random port. */
import type { VendorName } from '../../functions/core/problem';
import { loadLocalSecrets, type LocalSecrets } from '../secrets-file';
import { chargeapiContract } from './chargeapi';
import { drivequantContract } from './drivequant';
import { parseFaults } from './faults';
import { focusContract } from './focus';
import { DEFAULT_ORG_RATE_LIMITS, parseRateLimits } from './rate-limit';
import { samsaraContract } from './samsara';
import { startSimulator, type SimulatorHandle } from './server';

const VENDOR_NAMES = ['samsara', 'drivequant', 'chargeapi', 'focus'] as const;

export interface SimulatorOptions {
  /** Credentials the simulators accept; default: local/secrets.example.json (+ .secrets.local.json). */
  credentials?: LocalSecrets;
  /** SIMULATOR_FAULTS syntax. */
  faults?: string;
  /** SIMULATOR_RATE_LIMITS syntax. */
  rateLimits?: string;
  /** SIMULATOR_ORG_RATE_LIMITS syntax: one limit for every credential of the vendor account. */
  orgRateLimits?: string;
  /** Tokens of the operator's other Samsara integrations: accepted, and sharing the organisation's limit. */
  otherSamsaraTokens?: string[];
  host?: string;
}

export const startSimulators = async (options: SimulatorOptions = {}) => {
  // Credentials are read through a holder so tests can rotate them while the simulators run.
  const credentials: LocalSecrets = structuredClone(options.credentials ?? loadLocalSecrets());
  const faults = parseFaults(options.faults, VENDOR_NAMES);
  const limits = parseRateLimits(options.rateLimits ?? process.env.SIMULATOR_RATE_LIMITS);
  const orgLimits = parseRateLimits(options.orgRateLimits ?? process.env.SIMULATOR_ORG_RATE_LIMITS, DEFAULT_ORG_RATE_LIMITS, 'SIMULATOR_ORG_RATE_LIMITS');
  const contracts = {
    samsara: samsaraContract(() => credentials.samsara.apiToken!, options.otherSamsaraTokens),
    drivequant: drivequantContract(() => credentials.drivequant.adminApiKey!),
    chargeapi: chargeapiContract(() => credentials.chargeapi.secretKey!),
    focus: focusContract(() => credentials.focus as { username: string; password: string; fleetToken: string }),
  };
  const log = process.env.SIMULATOR_LOG === '1';
  const handles = Object.fromEntries(
    await Promise.all(
      VENDOR_NAMES.map(async (vendor) => [
        vendor,
        await startSimulator(contracts[vendor], { faults: faults.get(vendor) ?? [], ratePerSecond: limits[vendor], orgRatePerSecond: orgLimits[vendor], host: options.host, log }),
      ]),
    ),
  ) as Record<VendorName, SimulatorHandle>;

  return {
    urls: Object.fromEntries(VENDOR_NAMES.map((vendor) => [vendor, handles[vendor].url])) as Record<VendorName, string>,
    simulators: handles,
    contracts,
    /** Replaces one vendor's faults: `500#2`, `reset#1,503#2` (rules of SIMULATOR_FAULTS without the vendor); '' clears. */
    setFaults: (vendor: VendorName, spec: string) => {
      const entries = spec.split(',').filter(Boolean).map((rule) => `${vendor}=${rule}`).join(',');
      handles[vendor].setFaults(parseFaults(entries, VENDOR_NAMES).get(vendor) ?? []);
    },
    /** Rotates the credential a vendor accepts, as after a key rotation on the vendor's side. */
    setCredentials: (vendor: VendorName, value: Record<string, string>) => {
      credentials[vendor] = value;
    },
    reset: () => Object.values(handles).forEach((handle) => handle.reset()),
    stop: async () => {
      await Promise.all(Object.values(handles).map((handle) => handle.stop()));
    },
  };
};
