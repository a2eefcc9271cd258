/**
 * The REST API: stage `v1`, every method authorized with IAM (SigV4) unless a Cognito user pool
 * is given, request validation, JSON access logs, execution logs without bodies (they can hold
 * personal data), X-Ray, stage throttling, and API Gateway's own errors as RFC 9457 problems.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type IAuthorizer,
  type IResource,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PROBLEM_CONTENT_TYPE } from '../../functions/core/problem';

export const STAGE = 'v1';

export interface GatewayApiProps {
  throttlingRateLimit: number;
  throttlingBurstLimit: number;
  logRetention: RetentionDays;
  /** Use this Cognito user pool's tokens instead of IAM (SigV4). */
  cognitoUserPoolArn?: string;
  /**
   * Set API Gateway's account-level CloudWatch role (one per account and region: it replaces one that
   * exists). False leaves the account's role alone; one must then exist, or the stage cannot log.
   */
  accountCloudWatchRole?: boolean;
}

/** Registry paths start with the version; the stage already says it, so resources start after it. */
export const resourcePathOf = (path: string): string => path.replace(new RegExp(`^/${STAGE}(?=/)`), '');


export class GatewayApi extends Construct {
  readonly api: RestApi;
  private readonly authorizer?: IAuthorizer;
  private readonly validator: RequestValidator;

  constructor(scope: Construct, id: string, props: GatewayApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    this.api = new RestApi(this, 'Api', {
      restApiName: 'driver-gateway',
      description: 'driver-gateway: driver operations across Samsara, DriveQuant, ChargeAPI and Focus CBA',
      cloudWatchRole: props.accountCloudWatchRole ?? true,
      deployOptions: {
        stageName: STAGE,
        tracingEnabled: true,
        loggingLevel: MethodLoggingLevel.INFO,
        // Request/response bodies carry driver data and must not reach execution logs.
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true, httpMethod: true, ip: true, protocol: true, requestTime: true,
          resourcePath: true, responseLength: true, status: true, user: true,
        }),
      },
      defaultMethodOptions: { authorizationType: props.cognitoUserPoolArn ? AuthorizationType.COGNITO : AuthorizationType.IAM },
    });
    if (props.cognitoUserPoolArn) {
      this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
        cognitoUserPools: [UserPool.fromUserPoolArn(this, 'UserPool', props.cognitoUserPoolArn)],
      });
    }
    // API Gateway creates the execution-log group itself, without retention: create it first, with ours.
    new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${STAGE}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // API Gateway checks only that each route's path parameters are there. Bodies are validated by the
    // functions, with the zod schemas the OpenAPI document is built from, answering RFC 9457 problems:
    // a body validator without models would validate nothing and only look like it did.
    this.validator = this.api.addRequestValidator('Validator', { validateRequestBody: false, validateRequestParameters: true });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: "Path parameters are validated by API Gateway; bodies by every function with the same zod schemas the OpenAPI document is generated from, answering RFC 9457 problems (API Gateway models would duplicate them and answer in API Gateway's own format).",
    });
    this.problemResponses();
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'Every method requires IAM (SigV4) or Cognito authorization and the stage is throttled; attach a WAF web ACL to the stage where the organisation mandates one.',
    });
    if (!props.cognitoUserPoolArn) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'Callers are AWS principals (HR integration roles) authorized with IAM SigV4; pass cognitoUserPoolArn to use Cognito instead.',
      });
    }
    if (props.accountCloudWatchRole ?? true) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The account-level role API Gateway needs to write execution and access logs; AWS provides no narrower policy for it.',
      });
    }
  }

  /**
   * API Gateway's own refusals as problem documents too, each with its own status: a throttled
   * caller must see 429 (with Retry-After), a bad signature 403, not a rewritten 400. The two
   * catch-alls keep whatever status API Gateway chose (no statusCode, no `status` in the body).
   */
  private problemResponses(): void {
    const responses: [ResponseType, string | undefined, string, string, Record<string, string>?][] = [
      [ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'not-found', 'No such route (or the request was not signed)'],
      [ResponseType.ACCESS_DENIED, '403', 'forbidden', 'The caller is not allowed to call this route'],
      [ResponseType.EXPIRED_TOKEN, '403', 'forbidden', 'The request was signed with an expired token'],
      [ResponseType.INVALID_SIGNATURE, '403', 'forbidden', 'The request signature is not valid'],
      [ResponseType.WAF_FILTERED, '403', 'forbidden', 'The request was blocked'],
      [ResponseType.UNAUTHORIZED, '401', 'unauthorized', 'The caller could not be authenticated'],
      [ResponseType.THROTTLED, '429', 'throttled', 'Too many requests to the gateway', { 'Retry-After': "'1'" }],
      [ResponseType.QUOTA_EXCEEDED, '429', 'throttled', 'Too many requests to the gateway', { 'Retry-After': "'1'" }],
      [ResponseType.BAD_REQUEST_BODY, '400', 'validation-error', 'Your request is not valid'],
      [ResponseType.BAD_REQUEST_PARAMETERS, '400', 'validation-error', 'Your request is not valid'],
      [ResponseType.REQUEST_TOO_LARGE, '413', 'payload-too-large', 'The request body is too large'],
      [ResponseType.UNSUPPORTED_MEDIA_TYPE, '415', 'unsupported-media-type', 'The request body must be application/json'],
      [ResponseType.INTEGRATION_TIMEOUT, '504', 'internal-error', 'The gateway did not answer in time'],
      [ResponseType.INTEGRATION_FAILURE, '502', 'internal-error', 'Unexpected gateway error'],
      [ResponseType.DEFAULT_4XX, undefined, 'bad-request', 'The gateway refused the request'],
      [ResponseType.DEFAULT_5XX, undefined, 'internal-error', 'Unexpected gateway error'],
    ];
    for (const [type, statusCode, slug, title, headers] of responses) {
      const status = statusCode === undefined ? '' : `"status":${statusCode},`;
      this.api.addGatewayResponse(`Problem${type.responseType}`, {
        type,
        statusCode,
        responseHeaders: { 'Content-Type': `'${PROBLEM_CONTENT_TYPE}'`, ...headers },
        templates: {
          'application/json': `{"type":"urn:driver-gateway:problem:${slug}","title":"${title}",${status}"detail":$context.error.messageString,"instance":"$context.path"}`,
        },
      });
    }
  }


  /** Adds `method path` (a registry route) with a Lambda proxy integration; returns the method. */
  addRoute(method: string, path: string, fn: IFunction) {
    const resource = resourcePathOf(path)
      .split('/')
      .filter(Boolean)
      .reduce<IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), this.api.root);
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((match) => `method.request.path.${match[1]}`);
    return resource.addMethod(method, new LambdaIntegration(fn), {
      requestValidator: this.validator,
      requestParameters: Object.fromEntries(pathParams.map((param) => [param, true])),
      ...(this.authorizer ? { authorizer: this.authorizer, authorizationType: AuthorizationType.COGNITO } : {}),
    });
  }
}
