/**
 * What Amazon's Merchant Portal asks the retailer for at onboarding:
 * - an IAM role that the connector assumes to call Amazon's APIs (the Catalog API), allowed to do
 *   nothing but `execute-api:Invoke` on the API ARN Amazon gives, and
 * - an SQS queue that Amazon's SNS topic notifies when a catalog ingestion finishes.
 */
import { CfnOutput, CfnParameter, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { onboardingNames, type OnboardingNames } from './names';

export interface OnboardingStackProps extends StackProps {
  /**
   * The connector worker's task role, when the connector stack is in the same app. Without it the
   * stack asks for the role's ARN in the `ConnectorTaskRoleArn` parameter.
   */
  readonly connectorTaskRole?: iam.IRole;
  /** Default: derived from the stack name. The connector stack must be given the same names. */
  readonly names?: OnboardingNames;
}

export class OnboardingStack extends Stack {
  readonly catalogApiRole: iam.Role;
  readonly catalogQueue: sqs.Queue;
  readonly catalogDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: OnboardingStackProps = {}) {
    super(scope, id, props);
    const names = props.names ?? onboardingNames(this.stackName);

    const amazonApiArn = new CfnParameter(this, 'AmazonApiArn', {
      type: 'String',
      description:
        'The execute-api ARN Amazon gives at onboarding (e.g. arn:aws:execute-api:us-east-1:111122223333:abcdef1234/*). The role may invoke it and nothing else.',
      allowedPattern: '^arn:aws[a-zA-Z-]*:execute-api:[a-z0-9-]+:[0-9]{12}:\\S+$',
      constraintDescription: 'must be an execute-api ARN',
    });
    const topicArn = new CfnParameter(this, 'CatalogNotificationTopicArn', {
      type: 'String',
      description: "Amazon's SNS topic that announces finished catalog ingestions; the only sender the queue accepts.",
      allowedPattern: '^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:[0-9]{12}:\\S+$',
      constraintDescription: 'must be an SNS topic ARN',
    });

    // Trust: only the connector's task role may assume this role.
    const trusted = props.connectorTaskRole
      ? props.connectorTaskRole
      : new iam.ArnPrincipal(
          new CfnParameter(this, 'ConnectorTaskRoleArn', {
            type: 'String',
            description: "The connector worker's ECS task role ARN (output WorkerTaskRoleArn of the connector stack).",
            allowedPattern: '^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/\\S+$',
            constraintDescription: 'must be an IAM role ARN',
          }).valueAsString,
        );

    this.catalogApiRole = new iam.Role(this, 'CatalogApiRole', {
      roleName: names.catalogApiRoleName,
      description: "Assumed by the JWO connector to call Amazon's APIs (Catalog API) with SigV4",
      assumedBy: trusted,
      // The connector asks for 1-hour sessions and refreshes them before they end.
      maxSessionDuration: Duration.hours(1),
      // Inline, so the role carries exactly this one permission and nothing can be attached by mistake here.
      inlinePolicies: {
        InvokeAmazonApi: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              effect: iam.Effect.ALLOW,
              actions: ['execute-api:Invoke'],
              resources: [amazonApiArn.valueAsString],
            }),
          ],
        }),
      },
    });

    // SQS-managed encryption (SSE-SQS): Amazon's topic lives in Amazon's account, and a KMS key would
    // need a key policy for SNS and a grant for the worker; SSE-SQS needs neither and is still
    // encrypted at rest.
    this.catalogDeadLetterQueue = new sqs.Queue(this, 'CatalogNotificationsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.catalogQueue = new sqs.Queue(this, 'CatalogNotifications', {
      queueName: names.catalogQueueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The worker long-polls (20 s) and handles a message in well under a minute.
      visibilityTimeout: Duration.minutes(2),
      retentionPeriod: Duration.days(4),
      // A message that keeps failing is set aside instead of blocking the consumer; the worker also
      // polls getCatalogUploadStatus, so an upload never waits on a lost notification.
      deadLetterQueue: { queue: this.catalogDeadLetterQueue, maxReceiveCount: 5 },
    });
    // Only Amazon's topic may send, and only through SNS (the confused-deputy guard is aws:SourceArn).
    this.catalogQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAmazonCatalogTopicOnly',
        effect: iam.Effect.ALLOW,
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.catalogQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': topicArn.valueAsString } },
      }),
    );

    // What the Merchant Portal asks for.
    new CfnOutput(this, 'CatalogApiRoleArn', {
      description: 'Merchant Portal: the IAM role ARN for API access',
      value: this.catalogApiRole.roleArn,
    });
    new CfnOutput(this, 'CatalogNotificationQueueArn', {
      description: 'Merchant Portal: the SQS queue ARN for catalog upload notifications',
      value: this.catalogQueue.queueArn,
    });
    new CfnOutput(this, 'CatalogNotificationQueueUrl', {
      description: 'The connector reads it as CATALOG_SQS_QUEUE_URL',
      value: this.catalogQueue.queueUrl,
    });
    new CfnOutput(this, 'CatalogNotificationDlqUrl', {
      description: 'Notifications that failed 5 times; inspect, then redrive or purge',
      value: this.catalogDeadLetterQueue.queueUrl,
    });
  }
}
