/**
 * The environment the functions get when they run against the local services instead of AWS: the
 * real SDK pointed at the loopback fakes and dynalite, and each simulated vendor's base URL. One
 * place for the local runner and for the fleet benchmark's instance processes.
 */
import type { VendorName } from '../functions/core/problem';
import { LOCAL_REGION } from './lambda-events';

/** The bus the functions publish outcome events on (the AWS fake records them). */
export const LOCAL_EVENT_BUS = 'driver-gateway-local';

export interface LocalServices {
  /** The Secrets Manager / EventBridge fake. */
  awsUrl: string;
  dynamoUrl: string;
  tableName: string;
  /** Vendors served by a simulator (a vendor left out keeps its own, live, base URL). */
  vendorUrls: Partial<Record<VendorName, string>>;
}

export const localFunctionEnv = (services: LocalServices): Record<string, string> => ({
  AWS_REGION: LOCAL_REGION,
  // The fakes ignore signatures; these only let the real SDK sign its requests.
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: 'local',
  // Development runs on Node 20; the functions target nodejs24.x, where the SDK never warns.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: services.awsUrl,
  AWS_ENDPOINT_URL_EVENTBRIDGE: services.awsUrl,
  AWS_ENDPOINT_URL_DYNAMODB: services.dynamoUrl,
  TABLE_NAME: services.tableName,
  EVENT_BUS_NAME: LOCAL_EVENT_BUS,
  ...Object.fromEntries(Object.entries(services.vendorUrls).map(([vendor, url]) => [`${vendor.toUpperCase()}_BASE_URL`, url])),
});
