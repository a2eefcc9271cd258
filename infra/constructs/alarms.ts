/** Alarms that page (and say when it is over): function errors, lasting throttles, near-timeout runs, lost async failures, dead letters, rule delivery failures, table throttles, API 5xx rate, vendors refusing our keys, open circuits, mass deactivations held. */
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IRule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../functions/core/metrics';
import { VENDORS } from '../../functions/core/problem';
import { deadLetterQueue } from './queues';

export class GatewayAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { alarmEmail?: string }) {
    super(scope, id);
    const account = Stack.of(this).account;
    // The AWS-managed alias/aws/sns key's policy does not let CloudWatch use it: alarms could never
    // publish. A key of our own lets CloudWatch (of this account only) encrypt to the topic.
    const key = new Key(this, 'TopicKey', { description: 'driver-gateway alarm topic', enableKeyRotation: true });
    key.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { displayName: 'driver-gateway alarms', masterKey: key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    if (props.alarmEmail) {
      // A message SNS cannot deliver to the address waits here (and alarms) instead of vanishing.
      const undelivered = deadLetterQueue(this, 'UndeliveredAlarmEmails', 'alarm e-mails SNS could not deliver');
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail, { deadLetterQueue: undelivered }));
      this.forDeadLetters('UndeliveredAlarmEmails', undelivered);
    }
    for (const vendor of VENDORS) {
      this.alarm(`${vendor}Authentication`, `${vendor} refuses the gateway's credentials: check the driver-gateway/${vendor} secret`,
        new Metric({ namespace: METRIC_NAMESPACE, metricName: 'VendorAuthenticationFailures', dimensionsMap: { vendor }, statistic: 'Sum', period: Duration.minutes(5) }), 1);
      this.alarm(`${vendor}CircuitOpen`, `${vendor} failed repeatedly and the gateway paused calls to it`,
        new Metric({ namespace: METRIC_NAMESPACE, metricName: 'VendorCircuitOpen', dimensionsMap: { vendor }, statistic: 'Sum', period: Duration.minutes(5) }), 1);
    }
    // A sync that ignores its 428s would otherwise stop deactivating without anyone noticing.
    this.alarm('MassChangeHeld', 'The mass-change guard held deactivations: check the caller (a bad HR export?) and confirm with the token of the 428 if intended',
      new Metric({ namespace: METRIC_NAMESPACE, metricName: 'MassChangeHeld', dimensionsMap: { guard: 'deactivations' }, statistic: 'Sum', period: Duration.minutes(5) }), 1);
  }

  private alarm(id: string, description: string, metric: IMetric, threshold: number, evaluationPeriods = 1): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // Whoever was paged also learns when it is over.
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    return alarm;
  }

  forFunction(name: string, fn: IFunction, timeout: Duration): void {
    this.alarm(`${name}Errors`, `${name}: invocations failed`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 1);
    // A capped function throttles a burst of events on purpose (they wait in Lambda's queue): page only when it lasts 15 minutes.
    this.alarm(`${name}Throttles`, `${name}: invocations throttled for 15 minutes`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), 1, 3);
    this.alarm(`${name}NearTimeout`, `${name}: the slowest invocations come within 20 % of the ${timeout.toSeconds()} s timeout`,
      fn.metricDuration({ period: Duration.minutes(5), statistic: 'p99' }), timeout.toMilliseconds() * 0.8);
    this.alarm(`${name}DestinationFailures`, `${name}: failed asynchronous invocations could not be sent to the failure queue (lost unless the event is replayed)`,
      fn.metric('DestinationDeliveryFailures', { period: Duration.minutes(5), statistic: 'Sum' }), 1);
  }

  forRule(name: string, rule: IRule): void {
    this.alarm(`${name}RuleDlqFailures`, `${name}: events EventBridge could neither deliver nor dead-letter (lost unless replayed from the archive)`,
      new Metric({ namespace: 'AWS/Events', metricName: 'InvocationsFailedToBeSentToDlq', dimensionsMap: { RuleName: rule.ruleName }, statistic: 'Sum', period: Duration.minutes(5) }), 1);
  }

  forTable(table: ITableV2): void {
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      this.alarm(`Table${metricName}`, `The gateway table throttled ${metricName.startsWith('Read') ? 'reads' : 'writes'}: calls answer 503 store-unavailable`,
        new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: table.tableName }, statistic: 'Sum', period: Duration.minutes(5) }), 1);
    }
  }

  forDeadLetters(name: string, queue: IQueue): void {
    this.alarm(`${name}Depth`, `${name}: a message was dead-lettered; inspect and redrive (infra/README.md)`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), 1);
  }

  forApi(api: RestApi): void {
    // The 5XXError metric's average is the share of requests that failed.
    this.alarm('Api5xxRate', 'More than 5% of API requests failed with a 5xx over 5 minutes',
      api.metricServerError({ period: Duration.minutes(5), statistic: 'Average' }), 0.05);
  }
}
