/**
 * One Lambda function with every default the gateway's functions share, in one place (the
 * Powertools examples/app pattern): nodejs24.x on arm64, ESM bundle with the AWS SDK inside,
 * X-Ray, JSON logs in its own log group, a timeout under API Gateway's 29 s, asynchronous
 * failures to an on-failure queue.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';

/** Lambda's limit stays under API Gateway's 29 s; the vendor budget (VENDOR_BUDGET_MS) under that. */
export const FUNCTION_TIMEOUT = Duration.seconds(25);
export const VENDOR_BUDGET_MS = 20_000;

export interface GatewayFunctionProps {
  /** File under functions/, without extension. */
  handler: string;
  description: string;
  environment: Record<string, string>;
  onFailure: IQueue;
  logRetention: RetentionDays;
  memorySize?: number;
  /** Caps how many instances may call the vendors at once; undefined = account pool. */
  reservedConcurrency?: number;
}

/** How every function is bundled; the cold-start benchmark bundles its floor and peer the same way. */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  bundleAwsSDK: true,
  mainFields: ['module', 'main'],
  // ESM bundles of CommonJS dependencies still call require(): give them one.
  banner: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);",
  /** Modules replaced in the bundle (see functions/core/lambda-credentials.ts for why). */
  alias: { '@aws-sdk/credential-provider-node': fileURLToPath(new URL('../../functions/core/lambda-credentials.ts', import.meta.url)) },
} as const;

const entryOf = (handler: string): string => fileURLToPath(new URL(`../../functions/${handler}.ts`, import.meta.url));

export class GatewayFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: GatewayFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    // Not AWSLambdaBasicExecutionRole (logs on every group of the account): its own log group only.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${props.description} (execution role)`.slice(0, 1000) });
    logGroup.grantWrite(role);
    this.fn = new NodejsFunction(this, 'Function', {
      role,
      entry: entryOf(props.handler),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: FUNCTION_TIMEOUT,
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { VENDOR_BUDGET_MS: String(VENDOR_BUDGET_MS), ...props.environment },
      onFailure: new SqsDestination(props.onFailure),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      bundling: {
        format: BUNDLING.format,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        bundleAwsSDK: BUNDLING.bundleAwsSDK,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLING.alias).map(([from, to]) => [`--alias:${from}`, to])),
        forceDockerBundling: false,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      // Scoped by a test: `*` may only ever carry X-Ray actions (test/infra/stack.test.ts, "least privilege on everything else").
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource-level restriction.',
    });
    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Asynchronous failures go to an SQS on-failure destination, which supersedes the legacy dead-letter queue and also records the error and request context.',
    });
  }
}
