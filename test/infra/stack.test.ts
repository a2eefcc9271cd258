/** The synthesized template, asserted: one function per registry entry, least privilege, wiring, alarms. */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_SOURCES } from '../../functions/core/event-sources';
import { OUTCOME_SOURCE } from '../../functions/core/outcome-events';
import { VENDORS } from '../../functions/core/problem';
import { ratePerSecond } from '../../functions/core/vendor-limits';
import { registry } from '../../functions/registry';
import { buildApp } from '../../infra/app';

let template: Template;
type Resources = Record<string, { Type: string; Properties: any }>;
let resources: Resources;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** Our functions (not CDK helper functions): the ones whose description names an operation. */
const functionFor = (name: string) => {
  const found = ofType('AWS::Lambda::Function').find(([, r]) => String(r.Properties.Description).startsWith(`driver-gateway ${name}:`));
  if (!found) throw new Error(`no function for ${name}`);
  return found;
};

const roleStatements = (functionLogicalId: string) => {
  const roleId = resources[functionLogicalId]!.Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((role: any) => role.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
};

const secretIds = ofTypeSecretIds();
function ofTypeSecretIds() {
  return (vendor: string) => ofType('AWS::SecretsManager::Secret').find(([, r]) => r.Properties.Name === `driver-gateway/${vendor}`)![0];
}

/** A synth of the same stack with other context; asset bundling skipped (only the template matters). */
const synthWith = (context: Record<string, unknown>) => {
  const app = new App({ context: { focusBaseUrl: 'https://acme.focussi.com', 'aws:cdk:bundling-stacks': [], ...context } });
  return Template.fromStack(buildApp(app).stack).toJSON().Resources as Resources;
};

beforeAll(() => {
  const app = new App({ context: { focusBaseUrl: 'https://acme.focussi.com' } });
  const { stack } = buildApp(app);
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

describe('functions', () => {
  it('one per registry entry, nodejs24.x on arm64, traced, JSON logs, timeout under 29 s', () => {
    const ours = ofType('AWS::Lambda::Function').filter(([, r]) => String(r.Properties.Description).startsWith('driver-gateway '));
    expect(ours).toHaveLength(registry.length);
    for (const [, fn] of ours) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
        MemorySize: expect.any(Number),
      });
      expect(fn.Properties.Timeout).toBeLessThan(29);
      expect(Number(fn.Properties.Environment.Variables.VENDOR_BUDGET_MS)).toBeLessThan(fn.Properties.Timeout * 1000);
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
  });

  it('each function knows only its own vendors and may read only their secrets', () => {
    for (const { operation } of registry) {
      const [id, fn] = functionFor(operation.name);
      const env = fn.Properties.Environment.Variables;
      const vendorsInEnv = Object.keys(env).filter((key) => key.endsWith('_SECRET_ID')).map((key) => key.replace('_SECRET_ID', '').toLowerCase());
      expect(vendorsInEnv.sort()).toEqual([...operation.vendors].sort());
      const secretRefs = roleStatements(id)
        .filter((s: any) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
        .flatMap((s: any) => [s.Resource].flat().map((r: any) => r.Ref));
      expect(secretRefs.sort()).toEqual(operation.vendors.map((vendor: string) => secretIds(vendor)).sort());
    }
  });

  it('only the functions that use the table may touch it', () => {
    const tableId = ofType('AWS::DynamoDB::GlobalTable')[0]![0];
    for (const entry of registry) {
      const [id] = functionFor(entry.operation.name);
      const touchesTable = JSON.stringify(roleStatements(id)).includes(tableId);
      expect(touchesTable).toBe(Boolean(entry.usesTable));
      const env = resources[id]!.Properties.Environment.Variables;
      if (entry.usesTable) expect(env.IDEMPOTENCY_IN_PROGRESS_SECONDS).toBe(String(resources[id]!.Properties.Timeout));
    }
  });

  it('asynchronous failures go to an encrypted, TLS-only on-failure queue', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(registry.length);
    for (const [, config] of configs) expect(config.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    for (const [id, queue] of ofType('AWS::SQS::Queue')) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties.Queues).includes(id));
      expect(JSON.stringify(policy?.[1].Properties.PolicyDocument)).toContain('aws:SecureTransport');
    }
  });
});

describe('API', () => {
  it('has stage v1, one method per registry route, each authorized with IAM', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1', TracingEnabled: true, AccessLogSetting: Match.anyValue() });
    const methods = ofType('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(methods).toHaveLength(registry.length);
    for (const [, method] of methods) {
      expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(method.Properties.RequestValidatorId).toBeDefined();
      expect(method.Properties.RequestModels).toBeUndefined();
    }
  });

  it('claims no body validation it does not do: the validator checks parameters only (bodies are validated by the functions)', () => {
    const validators = ofType('AWS::ApiGateway::RequestValidator');
    expect(validators).toHaveLength(1);
    expect(validators[0]![1].Properties).toMatchObject({ ValidateRequestBody: false, ValidateRequestParameters: true });
  });

  it('throttles the stage and keeps bodies out of execution logs', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ DataTraceEnabled: false, LoggingLevel: 'INFO', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]),
    });
  });

  it('answers its own refusals with problem documents', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
    });
  });

  it("keeps API Gateway's own statuses: a throttled caller gets 429 with Retry-After, a bad signature 403, a big body 413, a timeout 504; the defaults rewrite none", () => {
    const responses = Object.fromEntries(ofType('AWS::ApiGateway::GatewayResponse').map(([, r]) => [r.Properties.ResponseType, r.Properties]));
    const expected: Record<string, string> = {
      THROTTLED: '429', QUOTA_EXCEEDED: '429', EXPIRED_TOKEN: '403', INVALID_SIGNATURE: '403', ACCESS_DENIED: '403', WAF_FILTERED: '403',
      UNAUTHORIZED: '401', MISSING_AUTHENTICATION_TOKEN: '404', REQUEST_TOO_LARGE: '413', UNSUPPORTED_MEDIA_TYPE: '415',
      BAD_REQUEST_BODY: '400', BAD_REQUEST_PARAMETERS: '400', INTEGRATION_TIMEOUT: '504', INTEGRATION_FAILURE: '502',
    };
    for (const [type, status] of Object.entries(expected)) {
      expect(responses[type]?.StatusCode, type).toBe(status);
      expect(JSON.parse(responses[type]!.ResponseTemplates['application/json'].replace('$context.error.messageString', '""').replace('$context.path', '')).status, type).toBe(Number(status));
    }
    for (const type of ['THROTTLED', 'QUOTA_EXCEEDED']) expect(responses[type]!.ResponseParameters['gatewayresponse.header.Retry-After'], type).toBe("'1'");
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(responses[type]!.StatusCode, type).toBeUndefined();
      expect(responses[type]!.ResponseTemplates['application/json'], type).not.toContain('"status"');
    }
  });
});

describe('events', () => {
  it('one rule per operation on the gateway bus, accepting only the configured sources, with a DLQ and retries', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(registry.length);
    for (const { operation } of registry) {
      const [fnId] = functionFor(operation.name);
      const rule = rules.find(([, r]) => r.Properties.EventPattern['detail-type'][0] === operation.name);
      expect(rule).toBeDefined();
      const props = rule![1].Properties;
      expect(props.EventPattern.source).toEqual(['driver-gateway.requests']);
      expect(props.EventBusName).toBeDefined();
      const [target] = props.Targets;
      expect(target.Arn['Fn::GetAtt'][0]).toBe(fnId);
      expect(target.DeadLetterConfig.Arn).toBeDefined();
      expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 21600 });
    }
  });
});

/**
 * Who may trigger what through the bus (SECURITY.md): rules accept only the operator's sources, the
 * functions may publish only as the gateway, and the bus policy lets no one else publish as the gateway.
 */
describe('who can trigger operations through the bus', () => {
  const rulesOf = (res: Resources) => Object.values(res).filter((r) => r.Type === 'AWS::Events::Rule');
  const busId = () => ofType('AWS::Events::EventBus')[0]![0];
  const busArn = () => ({ 'Fn::GetAtt': [busId(), 'Arn'] });
  const functionRoleArns = () =>
    registry.map(({ operation }) => ({ 'Fn::GetAtt': [resources[functionFor(operation.name)[0]]!.Properties.Role['Fn::GetAtt'][0], 'Arn'] }));
  const busPolicyStatements = () =>
    ofType('AWS::Events::EventBusPolicy').map(([, p]) => {
      expect(p.Properties.EventBusName).toEqual({ Ref: busId() });
      return p.Properties.Statement;
    });
  const actionsOf = (s: any): string[] => [s.Action].flat();
  const publishes = (s: any) => actionsOf(s).some((a) => a === '*' || a === 'events:*' || a === 'events:PutEvents');

  it('by default every rule accepts exactly the documented default source, never the gateway’s own and no anything-but', () => {
    expect(DEFAULT_EVENT_SOURCES).toEqual(['driver-gateway.requests']);
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(registry.length);
    for (const [, rule] of rules) {
      expect(rule.Properties.EventPattern.source).toEqual(['driver-gateway.requests']);
      expect(JSON.stringify(rule.Properties.EventPattern)).not.toContain('anything-but');
      expect(JSON.stringify(rule.Properties.EventPattern)).not.toContain(`"${OUTCOME_SOURCE}"`);
    }
  });

  it('-c eventSources=hr.system,payroll: every rule accepts exactly those two sources', () => {
    const rules = rulesOf(synthWith({ eventSources: 'hr.system,payroll' }));
    expect(rules).toHaveLength(registry.length);
    expect(rules.map((r) => r.Properties.EventPattern['detail-type']).flat().sort()).toEqual(registry.map((e) => e.operation.name).sort());
    for (const rule of rules) {
      expect(rule.Properties.EventPattern.source).toEqual(['hr.system', 'payroll']);
      expect(JSON.stringify(rule.Properties.EventPattern)).not.toContain('anything-but');
    }
  });

  it('eventSources as a JSON array (cdk.json) works the same', () => {
    const rules = rulesOf(synthWith({ eventSources: ['hr.system', 'payroll'] }));
    expect(rules).toHaveLength(registry.length);
    for (const rule of rules) expect(rule.Properties.EventPattern.source).toEqual(['hr.system', 'payroll']);
  });

  it('an invalid eventSources fails the synth with the reason', () => {
    expect(() => synthWith({ eventSources: 'driver-gateway' })).toThrow(/eventSources: "driver-gateway" is the gateway's own outcome source/);
    expect(() => synthWith({ eventSources: 'hr.system,aws.x' })).toThrow(/eventSources: "aws.x" is reserved for AWS services/);
    expect(() => synthWith({ eventSources: ['hr.system', 'driver-gateway'] })).toThrow(/gateway's own outcome source/);
    expect(() => synthWith({ eventSources: 'hr system' })).toThrow(/is not a valid source/);
  });

  it('a vendor base URL with credentials, a query or another scheme fails the synth without quoting it', () => {
    expect(() => synthWith({ focusBaseUrl: 'https://user:hunter2@acme.focussi.com' })).toThrow(/^The focus base URL must not carry credentials/);
    expect(() => synthWith({ focusBaseUrl: 'https://user:hunter2@acme.focussi.com' })).not.toThrow(/hunter2/);
    expect(() => synthWith({ samsaraBaseUrl: 'ftp://api.samsara.com' })).toThrow(/The samsara base URL must be an http\(s\) URL/);
    expect(() => synthWith({ chargeapiBaseUrl: 'https://api.chargeapi.co/?debug=1' })).toThrow(/must not have a query/);
  });

  it('each function role may PutEvents only on the gateway bus and only with source driver-gateway', () => {
    for (const { operation } of registry) {
      const [id] = functionFor(operation.name);
      const statements = roleStatements(id).filter(publishes);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toEqual({
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: busArn(),
        Condition: { StringEquals: { 'events:source': OUTCOME_SOURCE } },
      });
    }
  });

  it('no IAM policy in the stack allows PutEvents without the events:source condition', () => {
    const allowing = [
      ...ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement),
      ...ofType('AWS::IAM::ManagedPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement),
      ...ofType('AWS::IAM::Role').flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement)),
    ].filter((s: any) => s.Effect === 'Allow' && publishes(s));
    expect(allowing).toHaveLength(registry.length);
    for (const statement of allowing) expect(statement.Condition).toEqual({ StringEquals: { 'events:source': OUTCOME_SOURCE } });
  });

  it('the bus policy denies publishing as driver-gateway to everyone but the gateway’s function roles', () => {
    const denies = busPolicyStatements().filter((s: any) => s.Condition?.StringEquals?.['events:source'] === OUTCOME_SOURCE);
    expect(denies).toHaveLength(1);
    const [deny] = denies;
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: busArn() });
    expect(Object.keys(deny.Condition).sort()).toEqual(['ArnNotEquals', 'BoolIfExists', 'StringEquals']);
    // aws:PrincipalArn is single-valued: a plain negated operator, whose list of values is a NOR.
    const allowed = deny.Condition.ArnNotEquals['aws:PrincipalArn'];
    expect(allowed).toHaveLength(registry.length);
    expect(new Set(allowed.map((a: unknown) => JSON.stringify(a)))).toEqual(new Set(functionRoleArns().map((a) => JSON.stringify(a))));
    expect(deny.Condition.BoolIfExists).toEqual({ 'aws:PrincipalIsAWSService': 'false' });
  });

  it('the bus policy denies publishing from principals outside the stack’s account', () => {
    const denies = busPolicyStatements().filter((s: any) => s.Condition?.StringNotEquals?.['aws:PrincipalAccount'] !== undefined);
    expect(denies).toHaveLength(1);
    expect(denies[0]).toEqual({
      Sid: expect.any(String),
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: busArn(),
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  it('the bus policy allows nothing', () => {
    const statements = busPolicyStatements();
    expect(statements).toHaveLength(2);
    for (const statement of statements) expect(statement.Effect).toBe('Deny');
  });
});

describe('brakes', () => {
  /** Each operation's function in `res`: its reserved concurrency and environment. */
  const functionsIn = (res: Resources) =>
    registry.map(({ operation }) => {
      const fn = Object.values(res).find((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith(`driver-gateway ${operation.name}:`))!;
      return { operation, reserved: fn.Properties.ReservedConcurrentExecutions as number | undefined, env: fn.Properties.Environment.Variables as Record<string, string> };
    });
  /** Per vendor, how many instances of all the functions calling it may run at once. */
  const reservedPerVendor = (res: Resources) =>
    Object.fromEntries(
      VENDORS.map((vendor) => [vendor, functionsIn(res).filter(({ operation }) => operation.vendors.includes(vendor)).reduce((sum, { reserved }) => sum + (reserved ?? Infinity), 0)]),
    );

  it('caps concurrency per vendor from its rate (concurrencyCaps=on): all the functions calling a vendor together stay within rate × 1 s', () => {
    const capped = synthWith({ concurrencyCaps: 'on' });
    const perVendor = reservedPerVendor(capped);
    for (const vendor of VENDORS) {
      expect(perVendor[vendor]).toBeLessThanOrEqual(Math.ceil(ratePerSecond(vendor)));
      expect(perVendor[vendor]).toBeGreaterThanOrEqual(Math.ceil(ratePerSecond(vendor)) / 2);
    }
    for (const { operation, reserved, env } of functionsIn(capped)) {
      if (operation.vendors.length === 0) expect(reserved).toBeUndefined();
      else expect(reserved).toBeGreaterThanOrEqual(1);
      // The functions pace at the rate the caps were sized from.
      for (const vendor of operation.vendors) expect(Number(env[`${vendor.toUpperCase()}_RATE_PER_SECOND`])).toBe(ratePerSecond(vendor));
    }
    expect(functionsIn(capped).reduce((sum, { reserved }) => sum + (reserved ?? 0), 0)).toBe(148);
  });

  it('by default reserves no concurrency, so a new account (quota 10) can deploy; the budget still paces every vendor', () => {
    for (const { operation, reserved, env } of functionsIn(resources)) {
      expect(reserved).toBeUndefined();
      for (const vendor of operation.vendors) expect(Number(env[`${vendor.toUpperCase()}_RATE_PER_SECOND`])).toBe(ratePerSecond(vendor));
    }
  });

  it('a vendor rate from context paces the functions and resizes the caps; concurrencyCaps=off reserves nothing', () => {
    const faster = synthWith({ focusRatePerSecond: '60', concurrencyCaps: true });
    expect(reservedPerVendor(faster).focus).toBeLessThanOrEqual(60);
    expect(reservedPerVendor(faster).focus).toBeGreaterThan(reservedPerVendor(synthWith({ concurrencyCaps: true })).focus!);
    for (const { operation, env } of functionsIn(faster)) if (operation.vendors.includes('focus')) expect(env.FOCUS_RATE_PER_SECOND).toBe('60');
    for (const off of ['off', false]) {
      const uncapped = functionsIn(synthWith({ concurrencyCaps: off }));
      expect(uncapped.map(({ reserved }) => reserved)).toEqual(registry.map(() => undefined));
      expect(uncapped.find(({ operation }) => operation.name === 'samsara.updateDriver')!.env.SAMSARA_RATE_PER_SECOND).toBe(String(ratePerSecond('samsara')));
    }
  });

  it('refuses a rate that is not a positive number, an unknown caps switch, and the old per-function vendorConcurrency', () => {
    expect(() => synthWith({ samsaraRatePerSecond: 'fast' })).toThrow(/The samsara rate must be a number of requests per second above 0/);
    expect(() => synthWith({ focusRatePerSecond: '0' })).toThrow(/The focus rate must be/);
    expect(() => synthWith({ concurrencyCaps: 'maybe' })).toThrow(/concurrencyCaps must be on or off/);
    expect(() => synthWith({ vendorConcurrency: '10' })).toThrow(/vendorConcurrency was replaced/);
    // Four functions call Samsara: at 2 req/s its cap (2) cannot give each one.
    expect(() => synthWith({ samsaraRatePerSecond: '2', concurrencyCaps: 'on' })).toThrow(/The samsara rate \(2\/s\) allows 2 concurrent call\(s\), fewer than the 4 functions/);
    expect(() => synthWith({ samsaraRatePerSecond: '2' })).not.toThrow();
  });

  it('archives every event on the bus for 30 days, for replay', () => {
    template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 30, EventPattern: { account: Match.anyValue() } });
  });
});

describe("API Gateway's logs", () => {
  const executionLogs = (res: Resources) =>
    Object.values(res).filter((r) => r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'));

  it('the execution-log group is created by the stack with the retention (API Gateway would create it without)', () => {
    const [group] = executionLogs(resources);
    expect(group?.Properties.RetentionInDays).toBe(90);
    expect(JSON.stringify(group?.Properties.LogGroupName)).toContain('/v1');
  });

  it('sets the account-level CloudWatch role by default; apiGatewayAccountRole=off leaves an existing one alone', () => {
    expect(ofType('AWS::ApiGateway::Account')).toHaveLength(1);
    const leftAlone = synthWith({ apiGatewayAccountRole: 'off' });
    expect(Object.values(leftAlone).filter((r) => r.Type === 'AWS::ApiGateway::Account')).toHaveLength(0);
    expect(executionLogs(leftAlone)).toHaveLength(1);
    expect(() => synthWith({ apiGatewayAccountRole: 'maybe' })).toThrow(/apiGatewayAccountRole must be on or off/);
  });
});

describe('least privilege on everything else', () => {
  it('no function role uses AWSLambdaBasicExecutionRole; each may write only its own log group; `*` is granted for the X-Ray actions only', () => {
    for (const { operation } of registry) {
      const [fnId, fn] = functionFor(operation.name);
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      expect(JSON.stringify(resources[roleId]!.Properties.ManagedPolicyArns ?? []), operation.name).not.toContain('AWSLambdaBasicExecutionRole');
      const statements = roleStatements(fnId);
      const logs = statements.filter((statement: any) => [statement.Action].flat().some((action: string) => action.startsWith('logs:')));
      expect(logs.length, operation.name).toBeGreaterThan(0);
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
      for (const statement of logs) expect(JSON.stringify(statement.Resource), operation.name).toContain(logGroupId);
      for (const statement of statements.filter((candidate: any) => [candidate.Resource].flat().includes('*'))) {
        expect([statement.Action].flat().every((action: string) => action.startsWith('xray:')), `${operation.name}: ${JSON.stringify(statement.Action)} on *`).toBe(true);
      }
    }
  });
});

describe('least privilege on the table', () => {
  it('each function may only get, put, update and delete items of the gateway table: the four calls the code makes', () => {
    const tableId = ofType('AWS::DynamoDB::GlobalTable')[0]![0];
    for (const { operation } of registry) {
      const [fnId] = functionFor(operation.name);
      const dynamoActions = roleStatements(fnId).flatMap((statement: any) => [statement.Action].flat().filter((action: string) => action.startsWith('dynamodb:')).map((action: string) => ({ action, resource: statement.Resource })));
      expect([...new Set(dynamoActions.map(({ action }: { action: string }) => action))].sort(), operation.name).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
      for (const { resource } of dynamoActions) expect(JSON.stringify(resource), operation.name).toContain(tableId);
    }
  });
});

describe('alarms reach someone', () => {
  it('an alarm e-mail SNS cannot deliver lands in a dead-letter queue, which alarms too', () => {
    const res = synthWith({ alarmEmail: 'oncall@example.com' });
    const subscription = Object.values(res).find((r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'email')!;
    const queueId = subscription.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(res[queueId]!.Type).toBe('AWS::SQS::Queue');
    const watching = Object.values(res).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Dimensions ?? []).includes(queueId));
    expect(watching).toHaveLength(1);
  });


  it('the alarm topic is encrypted with a key CloudWatch may use, and its policy lets CloudWatch alarms of this account publish', () => {
    const [, topic] = ofType('AWS::SNS::Topic')[0]!;
    const keyRef = topic.Properties.KmsMasterKeyId['Fn::GetAtt']?.[0] ?? topic.Properties.KmsMasterKeyId.Ref;
    const key = resources[keyRef]!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const keyGrants = key.Properties.KeyPolicy.Statement.filter((s: any) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(keyGrants.flatMap((s: any) => [s.Action].flat())).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    const topicStatements = ofType('AWS::SNS::TopicPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const publish = topicStatements.find((s: any) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect([publish?.Action].flat()).toContain('sns:Publish');
    expect(JSON.stringify(publish?.Condition)).toContain('aws:SourceAccount');
  });
});

describe('operators\' secret values survive every stack update', () => {
  /**
   * CloudFormation regenerates a secret's value whenever its GenerateSecretString changes, over the
   * key an operator put there by hand. These are frozen: a change must add a new secret instead.
   */
  const FROZEN: Record<string, unknown> = {
    'driver-gateway/samsara': { ExcludePunctuation: true, GenerateStringKey: 'apiToken', SecretStringTemplate: '{}' },
    'driver-gateway/drivequant': { ExcludePunctuation: true, GenerateStringKey: 'adminApiKey', SecretStringTemplate: '{}' },
    'driver-gateway/chargeapi': { ExcludePunctuation: true, GenerateStringKey: 'secretKey', SecretStringTemplate: '{}' },
    'driver-gateway/focus': { ExcludePunctuation: true, GenerateStringKey: 'password', SecretStringTemplate: '{"username":"REPLACE_ME","fleetToken":"REPLACE_ME"}' },
  };

  it('the generated placeholders are exactly the frozen ones, and no secret value is written into the template', () => {
    const secrets = ofType('AWS::SecretsManager::Secret').map(([, secret]) => secret.Properties);
    expect(Object.fromEntries(secrets.map((secret) => [secret.Name, secret.GenerateSecretString]))).toEqual(FROZEN);
    for (const secret of secrets) expect(secret.SecretString).toBeUndefined();
  });
});

describe('outputs an operator needs', () => {
  it('name the API (from API Gateway, not a hand-built amazonaws.com URL), the bus, the table, the dead-letter queues and the secrets', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const name of ['ApiUrl', 'EventBusName', 'EventBusArn', 'ArchiveArn', 'AlarmTopicArn', 'TableName', 'FunctionFailuresQueueUrl', 'FunctionFailuresQueueArn', 'UndeliveredEventsQueueUrl', 'UndeliveredEventsQueueArn']) {
      expect(outputs[name], name).toBeDefined();
    }
    for (const vendor of ['samsara', 'drivequant', 'chargeapi', 'focus']) expect(outputs[`${vendor[0]!.toUpperCase()}${vendor.slice(1)}SecretName`], vendor).toBeDefined();
    expect(JSON.stringify(outputs.ApiUrl!.Value)).not.toContain('amazonaws.com');
  });
});

describe('a dashboard an operator can read', () => {
  it('shows per vendor calls, outcomes, latency p50/p99 and open circuits; per function invocations, errors, throttles and duration against the timeout; dead letters; API 4xx/5xx', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);
    for (const vendor of ['samsara', 'drivequant', 'chargeapi', 'focus']) {
      for (const text of [`VendorCallLatency`, `VendorCalls`, `VendorCircuitOpen`]) expect(body).toContain(text);
      expect(body, vendor).toContain(`\\"${vendor}\\"`);
    }
    for (const text of ['p50', 'p99', 'rate-limited', 'Invocations', 'Errors', 'Throttles', 'Duration', '25000', 'ApproximateNumberOfMessagesVisible', '4XXError', '5XXError']) expect(body, text).toContain(text);
  });
});

describe('a failed first create can be retried', () => {
  it('the fixed-name secrets and the log groups are retained on update or delete, but not after a failed create; the table has no fixed name', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const [id, secret] of secrets) expect((secret as { DeletionPolicy?: string }).DeletionPolicy, id).toBe('RetainExceptOnCreate');
    const logGroups = ofType('AWS::Logs::LogGroup');
    for (const [id, group] of logGroups) {
      expect((group as { DeletionPolicy?: string }).DeletionPolicy, id).toBe('RetainExceptOnCreate');
      // A fixed name would block a retry; the execution-log group's name is the generated API id's.
      if (group.Properties.LogGroupName !== undefined) expect(JSON.stringify(group.Properties.LogGroupName), id).toContain('"Ref"');
    }
    for (const [id, table] of ofType('AWS::DynamoDB::GlobalTable')) expect(table.Properties.TableName, id).toBeUndefined();
  });
});

describe('secrets, table and alarms', () => {
  it('one placeholder secret per vendor, its JSON shape in the description', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(4);
    const focus = secrets.find(([, s]) => s.Properties.Name === 'driver-gateway/focus')![1];
    expect(focus.Properties.Description).toContain('"username"');
    expect(focus.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'password' });
  });

  it('the table expires idempotency records with TTL and keeps backups', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: Match.arrayWith([Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })]),
    });
  });

  it('alarms on errors and throttles per function, dead letters, API 5xx rate, vendor authentication and mass-change holds, all to one topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(registry.length * 2 + 2 + 1 + 4 + 4 + 1);
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topics[0]![0] }]);
    const auth = alarms.filter(([, a]) => a.Properties.MetricName === 'VendorAuthenticationFailures');
    expect(auth.map(([, a]) => a.Properties.Dimensions[0].Value).sort()).toEqual(['chargeapi', 'drivequant', 'focus', 'samsara']);
    const circuits = alarms.filter(([, a]) => a.Properties.MetricName === 'VendorCircuitOpen');
    expect(circuits).toHaveLength(4);
    const held = alarms.filter(([, a]) => a.Properties.MetricName === 'MassChangeHeld');
    expect(held.map(([, a]) => [a.Properties.Namespace, a.Properties.Dimensions])).toEqual([['DriverGateway', [{ Name: 'guard', Value: 'deactivations' }]]]);
  });

  it('every alarm also says when it is over (OK action); alarms for what else can go wrong quietly', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const topic = { Ref: ofType('AWS::SNS::Topic')[0]![0] };
    for (const alarm of alarms) expect(alarm.OKActions, alarm.AlarmDescription).toEqual([topic]);
    const named = (namespace: string, metric: string) => alarms.filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metric);
    // Per function: running close to its timeout, and asynchronous failures that could not reach their queue.
    expect(named('AWS/Lambda', 'Duration')).toHaveLength(registry.length);
    for (const alarm of named('AWS/Lambda', 'Duration')) expect(alarm.Threshold).toBe(20_000);
    expect(named('AWS/Lambda', 'DestinationDeliveryFailures')).toHaveLength(registry.length);
    // Per rule: events EventBridge could neither deliver nor dead-letter.
    expect(named('AWS/Events', 'InvocationsFailedToBeSentToDlq')).toHaveLength(registry.length);
    // The table throttling the gateway's reads or writes.
    expect(named('AWS/DynamoDB', 'ReadThrottleEvents')).toHaveLength(1);
    expect(named('AWS/DynamoDB', 'WriteThrottleEvents')).toHaveLength(1);
    // Throttles page only when they last (15 minutes): a capped function queueing a burst is designed behaviour.
    for (const alarm of named('AWS/Lambda', 'Throttles')) expect(alarm.EvaluationPeriods).toBe(3);
  });
});
