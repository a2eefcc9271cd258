/**
 * driver-gateway in one stack, built from the registry in one loop: each operation gets its
 * function, route, event rule and exactly the grants its vendors and table need. A new registry
 * entry needs no change here.
 */
import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { baseUrlFault } from '../functions/core/config';
import { parseEventSources } from '../functions/core/event-sources';
import { OUTCOME_SOURCE } from '../functions/core/outcome-events';
import { VENDORS, type VendorName } from '../functions/core/problem';
import { ratePerSecond } from '../functions/core/vendor-limits';
import { registry } from '../functions/registry';
import { functionCaps } from './concurrency-caps';
import { GatewayAlarms } from './constructs/alarms';
import { GatewayDashboard } from './constructs/dashboard';
import { GatewayApi } from './constructs/gateway-api';
import { FUNCTION_TIMEOUT, GatewayFunction } from './constructs/gateway-function';
import { gatewayTable } from './constructs/gateway-table';
import { deadLetterQueue } from './constructs/queues';
import { VendorSecrets } from './constructs/vendor-secrets';

export interface DriverGatewayProps extends StackProps {
  /** Focus CBA has no public host: each customer has https://{site}.focussi.com. */
  focusBaseUrl: string;
  /**
   * The EventBridge `source` values whose events may trigger operations (context `eventSources`,
   * parsed by parseEventSources; default DEFAULT_EVENT_SOURCES). Never the gateway's own source.
   */
  eventSources: string[];
  /** Override the vendors' production URLs (e.g. Samsara EU: https://api.eu.samsara.com). */
  baseUrls?: Partial<Record<VendorName, string>>;
  /** Import existing secrets by name instead of creating placeholders. */
  secretNames?: Partial<Record<VendorName, string>>;
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
  /** Use Cognito user pool tokens instead of IAM (SigV4) for the API. */
  cognitoUserPoolArn?: string;
  alarmEmail?: string;
  logRetention?: RetentionDays;
  /**
   * Requests per second the whole deployment may send each vendor (default: 95 % of the
   * documented or chosen limit, vendor-limits.ts). Also sizes the concurrency caps.
   */
  vendorRates?: Partial<Record<VendorName, number>>;
  /**
   * Reserve concurrency per vendor-facing function, sized from the vendor rates
   * (concurrency-caps.ts; 148 in all at the default rates). Off by default: a new account's quota
   * (10) cannot spare that plus Lambda's unreserved 100, and the fleet-wide budget paces every
   * vendor either way. On bounds how many instances can queue for a vendor (infra/README.md).
   */
  concurrencyCaps?: boolean;
  /** Set API Gateway's account-level CloudWatch role (default); false leaves an existing one alone. */
  apiGatewayAccountRole?: boolean;
  /** Days the bus archive keeps every event for replay. */
  archiveRetentionDays?: number;
}

const TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

const PRODUCTION_URLS: Partial<Record<VendorName, string>> = {
  samsara: 'https://api.samsara.com',
  drivequant: 'https://service.drivequant.com',
  chargeapi: 'https://api.chargeapi.co',
};

const pascal = (name: string): string => name.replace(/(^|[.\-])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());

export class DriverGatewayStack extends Stack {
  constructor(scope: Construct, id: string, props: DriverGatewayProps) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    // Checked here too, for stacks built without infra/app.ts: an empty list or the gateway's own source fails.
    const eventSources = parseEventSources(props.eventSources);
    const baseUrls: Partial<Record<VendorName, string>> = { ...PRODUCTION_URLS, focus: props.focusBaseUrl, ...props.baseUrls };
    // The functions would refuse these at every call; refuse them at synth instead, without quoting them.
    for (const [vendor, url] of Object.entries(baseUrls)) {
      const fault = url === undefined ? undefined : baseUrlFault(url);
      if (fault) throw new Error(`The ${vendor} base URL ${fault}.`);
    }

    const secrets = new VendorSecrets(this, 'Secrets', { importNames: props.secretNames });
    const table = gatewayTable(this);
    const bus = new EventBus(this, 'Bus', { eventBusName: 'driver-gateway' });
    const archive = bus.archive('Archive', {
      description: 'Every event on the driver-gateway bus, for replay (infra/README.md)',
      eventPattern: { account: [this.account] },
      retention: Duration.days(props.archiveRetentionDays ?? 30),
    });
    const rates = Object.fromEntries(VENDORS.map((vendor) => [vendor, props.vendorRates?.[vendor] ?? ratePerSecond(vendor)])) as Record<VendorName, number>;
    for (const [vendor, rate] of Object.entries(rates)) {
      if (!(Number.isFinite(rate) && rate > 0)) throw new Error(`The ${vendor} rate must be a number of requests per second above 0.`);
    }
    const caps = props.concurrencyCaps ? functionCaps(registry.map((entry) => entry.operation), rates) : new Map<string, number>();
    const failures = deadLetterQueue(this, 'FunctionFailures', "the functions' asynchronous invocations");
    const undelivered = deadLetterQueue(this, 'UndeliveredEvents', 'events EventBridge could not deliver to a function');
    const api = new GatewayApi(this, 'Api', {
      throttlingRateLimit: props.throttlingRateLimit ?? 50,
      throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      logRetention,
      cognitoUserPoolArn: props.cognitoUserPoolArn,
      accountCloudWatchRole: props.apiGatewayAccountRole,
    });
    const alarms = new GatewayAlarms(this, 'Alarms', { alarmEmail: props.alarmEmail });
    /** The roles that may publish as the gateway (outcome events): its functions', nobody else's. */
    const publisherRoleArns: string[] = [];
    /** What the dashboard shows per function. */
    const dashboardFunctions: { name: string; fn: IFunction }[] = [];

    for (const entry of registry) {
      const { operation } = entry;
      const name = pascal(operation.name);
      const vendorEnv = Object.fromEntries(
        operation.vendors.flatMap((vendor: VendorName) => [
          [`${vendor.toUpperCase()}_SECRET_ID`, secrets.secrets[vendor].secretName],
          [`${vendor.toUpperCase()}_BASE_URL`, baseUrls[vendor]!],
          [`${vendor.toUpperCase()}_RATE_PER_SECOND`, String(rates[vendor])],
        ]),
      );
      const { fn } = new GatewayFunction(this, name, {
        handler: entry.handler,
        description: `driver-gateway ${operation.name}: ${operation.summary}`,
        environment: {
          ...vendorEnv,
          EVENT_BUS_NAME: bus.eventBusName,
          // An in-progress idempotency record outlives its invocation by no more than the function timeout.
          ...(entry.usesTable ? { TABLE_NAME: table.tableName, IDEMPOTENCY_IN_PROGRESS_SECONDS: String(FUNCTION_TIMEOUT.toSeconds()) } : {}),
        },
        onFailure: failures,
        logRetention,
        reservedConcurrency: caps.get(operation.name),
      });
      for (const vendor of operation.vendors as VendorName[]) secrets.secrets[vendor].grantRead(fn);
      // The four item calls the code makes (links, idempotency records, the guard, the vendor gate); no scans, no batches.
      if (entry.usesTable) table.grant(fn, ...TABLE_ACTIONS);
      // Outcome events only: the role may publish on this bus, and only as the gateway, so a
      // compromised function cannot forge a request from a source the rules accept.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['events:PutEvents'],
          resources: [bus.eventBusArn],
          conditions: { StringEquals: { 'events:source': OUTCOME_SOURCE } },
        }),
      );
      publisherRoleArns.push(fn.role!.roleArn);

      api.addRoute(operation.method, operation.path, fn);
      const rule = new Rule(this, `${name}Rule`, {
        eventBus: bus,
        description: `Runs ${operation.name} for events with that detail-type from the configured sources`,
        // Only the operator's publishers; never the gateway's own outcome events (parseEventSources refuses it): no loops.
        eventPattern: { detailType: [operation.name], source: eventSources },
        targets: [new LambdaFunction(fn, { deadLetterQueue: undelivered, retryAttempts: 4, maxEventAge: Duration.hours(6) })],
      });
      alarms.forFunction(name, fn, FUNCTION_TIMEOUT);
      dashboardFunctions.push({ name: operation.name, fn });
      alarms.forRule(name, rule);
    }
    // The bus policy only takes away: no one but the gateway's functions may publish as the gateway,
    // and no principal of another account may publish at all. (Within the account, who may publish
    // is whoever an IAM policy allows; see infra/README.md.) Calls made directly by AWS service
    // principals (e.g. EventBridge itself) are left alone.
    const denyPublishing = (sid: string, conditions: Record<string, unknown>): void => {
      bus.addToResourcePolicy(
        new PolicyStatement({
          sid,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [bus.eventBusArn],
          conditions: { ...conditions, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
        }),
      );
    };
    denyPublishing('DenyPublishingAsTheGatewayToOthers', {
      StringEquals: { 'events:source': OUTCOME_SOURCE },
      // aws:PrincipalArn is single-valued (the role, not the session): several values of a negated operator are a NOR.
      ArnNotEquals: { 'aws:PrincipalArn': publisherRoleArns },
    });
    denyPublishing('DenyPublishingFromOtherAccounts', { StringNotEquals: { 'aws:PrincipalAccount': this.account } });

    alarms.forDeadLetters('FunctionFailures', failures);
    alarms.forDeadLetters('UndeliveredEvents', undelivered);
    alarms.forApi(api.api);
    alarms.forTable(table);
    new GatewayDashboard(this, 'Dashboard', {
      functions: dashboardFunctions,
      timeout: FUNCTION_TIMEOUT,
      deadLetters: [{ name: 'FunctionFailures', queue: failures }, { name: 'UndeliveredEvents', queue: undelivered }],
      api: api.api,
    });

    // Everything the runbooks (infra/README.md) name, so an operator never has to look it up.
    const outputs: Record<string, string> = {
      // The stage's URL with the partition's own suffix (not a hard-coded amazonaws.com), without
      // the trailing slash of RestApi.url, so that "$API/drivers/…" works as written.
      ApiUrl: Fn.select(0, Fn.split('/$', `${api.api.deploymentStage.urlForPath('/')}$`)),
      EventBusName: bus.eventBusName,
      EventBusArn: bus.eventBusArn,
      ArchiveArn: archive.archiveArn,
      AlarmTopicArn: alarms.topic.topicArn,
      TableName: table.tableName,
      FunctionFailuresQueueUrl: failures.queueUrl,
      FunctionFailuresQueueArn: failures.queueArn,
      UndeliveredEventsQueueUrl: undelivered.queueUrl,
      UndeliveredEventsQueueArn: undelivered.queueArn,
      ...Object.fromEntries(VENDORS.map((vendor) => [`${pascal(vendor)}SecretName`, secrets.secrets[vendor].secretName])),
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
