/** The cdk-nag AwsSolutions and Serverless packs run on synth; the stack has no unacknowledged finding. */
import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';

describe('cdk-nag', () => {
  it('the gateway stack synthesizes with zero unacknowledged findings', () => {
    const { app } = buildApp(new App({ context: { focusBaseUrl: 'https://acme.focussi.com' } }));
    expect(() => app.synth()).not.toThrow();
  });

  it('every documented context combination synthesizes with zero unacknowledged findings (alarm e-mail, Cognito, imported secrets, caps, rates)', () => {
    const combinations: Record<string, unknown>[] = [
      { alarmEmail: 'oncall@example.com' },
      { cognitoUserPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc' },
      { samsaraSecretName: 'prod/samsara', focusSecretName: 'prod/focus' },
      { concurrencyCaps: 'on', samsaraRatePerSecond: '100' },
      { alarmEmail: 'oncall@example.com', concurrencyCaps: 'on', eventSources: 'hr.system' },
      { apiGatewayAccountRole: 'off' },
    ];
    for (const context of combinations) {
      const { app } = buildApp(new App({ context: { focusBaseUrl: 'https://acme.focussi.com', 'aws:cdk:bundling-stacks': [], ...context } }));
      expect(() => app.synth(), JSON.stringify(context)).not.toThrow();
    }
  });

  it('a new finding fails the synth (the packs really run)', () => {
    const app = new App({ context: { focusBaseUrl: 'https://acme.focussi.com' } });
    const { stack } = buildApp(app);
    new Queue(stack, 'UnencryptedNoDlqQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('synth refuses to guess the Focus host: no default in cdk.json, and the synth check uses a host that resolves nowhere', () => {
    expect(() => buildApp(new App({ context: {} }))).toThrow(/focusBaseUrl/);
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
    expect(cdkJson.context.focusBaseUrl).toBeUndefined();
    const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const synthHost = /focusBaseUrl=(\S+)/.exec(scripts.synth!)?.[1];
    expect(new URL(synthHost!).hostname.endsWith('.invalid')).toBe(true);
  });
});

