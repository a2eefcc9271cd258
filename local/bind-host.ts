/**
 * Where `npm start` listens. The runner holds the vendors' credentials and runs every operation
 * unauthenticated, so it binds loopback unless GATEWAY_HOST explicitly says otherwise, and then it
 * says loudly what that exposes. (A generic HOST, set by many shells and containers, is ignored.)
 */
import { isIP } from 'node:net';

const DEFAULT_HOST = '127.0.0.1';

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

export const bindHost = (env: NodeJS.ProcessEnv): { host: string; warning?: string } => {
  const host = env.GATEWAY_HOST?.trim() || DEFAULT_HOST;
  if (isLoopback(host)) return { host };
  return {
    host,
    warning:
      `WARNING: driver-gateway is listening on ${host}, not on loopback. Anyone who can reach this ` +
      'address can run every operation, unauthenticated, with the vendor credentials this runner holds. ' +
      'Unset GATEWAY_HOST to listen on 127.0.0.1 only.',
  };
};
