/**
 * The CDK app. Props come from context (cdk.json or `-c key=value`); the AwsSolutions and
 * Serverless cdk-nag packs run on every synth, so a new finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { parseEventSources } from '../functions/core/event-sources';
import { VENDORS } from '../functions/core/problem';
import { DriverGatewayStack, type DriverGatewayProps } from './stack';

export const propsFromContext = (app: App): DriverGatewayProps => {
  const context = (key: string): string | undefined => app.node.tryGetContext(key) ?? undefined;
  const focusBaseUrl = context('focusBaseUrl');
  if (!focusBaseUrl) throw new Error('Set the Focus CBA host: -c focusBaseUrl=https://<site>.focussi.com');
  const number = (key: string): number | undefined => (context(key) === undefined ? undefined : Number(context(key)));
  if (context('vendorConcurrency') !== undefined) {
    throw new Error('vendorConcurrency was replaced: -c concurrencyCaps=on reserves concurrency sized from the vendor rates (-c samsaraRatePerSecond=…); off (the default) reserves none.');
  }
  /** An on/off switch from context: `-c key=off` arrives as a string, cdk.json may hold a boolean. */
  const onOff = (key: string): boolean | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined) return undefined;
    if (!['on', 'off', true, false].includes(value as string | boolean)) throw new Error(`${key} must be on or off.`);
    return value === 'on' || value === true;
  };
  return {
    focusBaseUrl,
    // `-c eventSources=a,b` arrives as a string, cdk.json may hold an array; absent = the default.
    eventSources: parseEventSources(app.node.tryGetContext('eventSources')),
    baseUrls: { samsara: context('samsaraBaseUrl'), drivequant: context('drivequantBaseUrl'), chargeapi: context('chargeapiBaseUrl') },
    secretNames: {
      samsara: context('samsaraSecretName'),
      drivequant: context('drivequantSecretName'),
      chargeapi: context('chargeapiSecretName'),
      focus: context('focusSecretName'),
    },
    throttlingRateLimit: number('throttlingRateLimit'),
    throttlingBurstLimit: number('throttlingBurstLimit'),
    cognitoUserPoolArn: context('cognitoUserPoolArn'),
    alarmEmail: context('alarmEmail'),
    vendorRates: Object.fromEntries(VENDORS.flatMap((vendor) => (number(`${vendor}RatePerSecond`) === undefined ? [] : [[vendor, number(`${vendor}RatePerSecond`)]]))),
    concurrencyCaps: onOff('concurrencyCaps'),
    apiGatewayAccountRole: onOff('apiGatewayAccountRole'),
    archiveRetentionDays: number('archiveRetentionDays'),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  };
};

export const buildApp = (app = new App()): { app: App; stack: DriverGatewayStack } => {
  const stack = new DriverGatewayStack(app, 'DriverGateway', propsFromContext(app));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  buildApp().app.synth();
}
