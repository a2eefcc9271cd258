/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (an esbuild alias set by
 * the stack). Lambda hands every function its role's credentials in environment variables, so
 * the default chain's SSO, INI, process and web-identity providers — and the STS/SSO clients
 * they bundle, ~80 KB — can never be used there. Locally and in tests the real chain still runs.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
