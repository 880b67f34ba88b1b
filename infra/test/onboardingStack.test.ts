import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { onboardingNames } from '../lib/names';
import { OnboardingStack } from '../lib/onboardingStack';
import { resource, resourcesOfType, synthApp, tempOutdir } from './support';

/** Deployed on its own: the connector's task role ARN is a parameter. */
const standalone = Template.fromStack(new OnboardingStack(new App({ outdir: tempOutdir() }), 'Onboarding'));

describe('the role the connector assumes for Amazon APIs', () => {
  const [roleId, role] = resource(standalone, 'AWS::IAM::Role', 'CatalogApiRole');

  test('has exactly one permission: execute-api:Invoke on the API ARN given at onboarding', () => {
    expect(role.Policies).toEqual([
      {
        PolicyName: 'InvokeAmazonApi',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: { Ref: 'AmazonApiArn' } }],
        },
      },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    // Nothing else attaches a policy to it.
    expect(resourcesOfType(standalone, 'AWS::IAM::Policy')).toEqual([]);
    expect(resourcesOfType(standalone, 'AWS::IAM::ManagedPolicy')).toEqual([]);
  });

  test('is trusted by the connector task role only', () => {
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: { Ref: 'ConnectorTaskRoleArn' } } },
    ]);
    standalone.hasParameter('ConnectorTaskRoleArn', {
      Type: 'String',
      AllowedPattern: '^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/\\S+$',
    });
  });

  test('has the fixed name the connector computes its ARN from', () => {
    expect(role.RoleName).toBe(onboardingNames('Onboarding').catalogApiRoleName);
    expect(role.RoleName).toBe('Onboarding-catalog-api');
    expect(role.MaxSessionDuration).toBe(3600);
  });

  test('is an output for the Merchant Portal', () => {
    standalone.hasOutput('CatalogApiRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });
});

describe('the catalog notification queue', () => {
  const [queueId, queue] = resource(standalone, 'AWS::SQS::Queue', 'CatalogNotifications');
  const [dlqId, dlq] = resource(standalone, 'AWS::SQS::Queue', 'CatalogNotificationsDlq');
  const policyOf = (id: string) => {
    const policies = resourcesOfType(standalone, 'AWS::SQS::QueuePolicy').filter(([, p]) =>
      p.Queues.some((q: any) => q.Ref === id),
    );
    expect(policies).toHaveLength(1);
    return policies[0][1].PolicyDocument.Statement as Array<Record<string, any>>;
  };

  test('lets only Amazon’s SNS topic send, and only sqs:SendMessage', () => {
    const allows = policyOf(queueId).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'AllowAmazonCatalogTopicOnly',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'CatalogNotificationTopicArn' } } },
      },
    ]);
  });

  test('refuses requests without TLS (enforceSSL), on both queues', () => {
    for (const id of [queueId, dlqId]) {
      const denies = policyOf(id).filter((s) => s.Effect === 'Deny');
      expect(denies).toEqual([
        expect.objectContaining({
          Action: 'sqs:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]);
    }
  });

  test('is encrypted, as is its dead-letter queue', () => {
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(dlq.SqsManagedSseEnabled).toBe(true);
  });

  test('sets failing messages aside in the dead-letter queue after 5 receives', () => {
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 });
    expect(queue.QueueName).toBe('Onboarding-catalog-notifications');
  });

  test('ARN and URL are outputs', () => {
    standalone.hasOutput('CatalogNotificationQueueArn', { Value: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    standalone.hasOutput('CatalogNotificationQueueUrl', { Value: { Ref: queueId } });
  });

  test('parameters refuse values that are not ARNs of the right service', () => {
    const params = standalone.toJSON().Parameters;
    const matches = (name: string, value: string) => new RegExp(params[name].AllowedPattern).test(value);
    expect(matches('AmazonApiArn', 'arn:aws:execute-api:us-east-1:111122223333:abcdef1234/*')).toBe(true);
    expect(matches('AmazonApiArn', 'arn:aws:sns:us-east-1:111122223333:topic')).toBe(false);
    expect(matches('CatalogNotificationTopicArn', 'arn:aws:sns:us-east-1:111122223333:jwo-catalog')).toBe(true);
    expect(matches('CatalogNotificationTopicArn', '*')).toBe(false);
  });
});

describe('in the same app as the connector', () => {
  const { onboarding, connector } = synthApp();

  test('trusts the worker task role by reference, with no parameter for it', () => {
    const [, role] = resource(onboarding, 'AWS::IAM::Role', 'CatalogApiRole');
    const principal = role.AssumeRolePolicyDocument.Statement[0].Principal.AWS;
    expect(Object.keys(principal)).toEqual(['Fn::ImportValue']);
    expect(JSON.stringify(principal)).toContain('WorkerTaskTaskRole');
    expect(onboarding.toJSON().Parameters.ConnectorTaskRoleArn).toBeUndefined();
  });

  test('the worker is pointed at the role and queue the onboarding stack names', () => {
    const names = onboardingNames('JwoOnboarding');
    const [, role] = resource(onboarding, 'AWS::IAM::Role', 'CatalogApiRole');
    const [, queue] = resource(onboarding, 'AWS::SQS::Queue', 'CatalogNotifications');
    expect(role.RoleName).toBe(names.catalogApiRoleName);
    expect(queue.QueueName).toBe(names.catalogQueueName);
    const worker = JSON.stringify(resource(connector, 'AWS::ECS::TaskDefinition', 'WorkerTask')[1]);
    expect(worker).toContain(`:role/${names.catalogApiRoleName}`);
    expect(worker).toContain(`/${names.catalogQueueName}`);
  });
});
