/** The synthesized template, asserted: one function per registry entry, least privilege, wiring, alarms. */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
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
    }
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
});

describe('events', () => {
  it('one rule per operation on the gateway bus, ignoring the gateway’s own outcome events, with a DLQ and retries', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(registry.length);
    for (const { operation } of registry) {
      const [fnId] = functionFor(operation.name);
      const rule = rules.find(([, r]) => r.Properties.EventPattern['detail-type'][0] === operation.name);
      expect(rule).toBeDefined();
      const props = rule![1].Properties;
      expect(props.EventPattern.source).toEqual([{ 'anything-but': ['driver-gateway'] }]);
      expect(props.EventBusName).toBeDefined();
      const [target] = props.Targets;
      expect(target.Arn['Fn::GetAtt'][0]).toBe(fnId);
      expect(target.DeadLetterConfig.Arn).toBeDefined();
      expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 21600 });
    }
  });
});

describe('brakes', () => {
  it('caps the concurrency of every vendor-facing function, not the others', () => {
    for (const { operation } of registry) {
      const [, fn] = functionFor(operation.name);
      if (operation.vendors.length > 0) expect(fn.Properties.ReservedConcurrentExecutions).toBe(10);
      else expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('archives every event on the bus for 30 days, for replay', () => {
    template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 30, EventPattern: { account: Match.anyValue() } });
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

  it('alarms on errors and throttles per function, dead letters, API 5xx rate and vendor authentication, all to one topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(registry.length * 2 + 2 + 1 + 4 + 4);
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topics[0]![0] }]);
    const auth = alarms.filter(([, a]) => a.Properties.MetricName === 'VendorAuthenticationFailures');
    expect(auth.map(([, a]) => a.Properties.Dimensions[0].Value).sort()).toEqual(['chargeapi', 'drivequant', 'focus', 'samsara']);
    const circuits = alarms.filter(([, a]) => a.Properties.MetricName === 'VendorCircuitOpen');
    expect(circuits).toHaveLength(4);
  });
});
