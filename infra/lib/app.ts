/**
 * Both stacks in one app, configured from CDK context (`cdk.json`, or `-c key=value`). Context
 * values given on the command line arrive as strings, hence the parsing.
 *
 * The stacks are environment-agnostic (no account or region in the code): synth needs no
 * credentials and no network, and `cdk deploy` deploys to the account and region of the caller's
 * AWS profile.
 */
import type { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ConnectorStack } from './connectorStack';
import { onboardingNames } from './names';
import { OnboardingStack } from './onboardingStack';

export interface AppSettings {
  readonly onboardingStackName: string;
  readonly connectorStackName: string;
  readonly multiAz: boolean;
  readonly apiDesiredCount: number;
  readonly workerDesiredCount: number;
  /** An image already in ECR (repository name in the same account, and tag) instead of building the Dockerfile. */
  readonly imageRepository?: string;
  readonly imageTag?: string;
  /** e.g. an ECR pull-through cache of the CloudWatch agent image. */
  readonly cloudWatchAgentImage?: string;
}

function text(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function bool(app: App, key: string, fallback: boolean): boolean {
  const value = text(app, key);
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`context ${key} must be true or false, got ${value}`);
}

function count(app: App, key: string, fallback: number): number {
  const value = text(app, key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`context ${key} must be a whole number, got ${value}`);
  return n;
}

export function settingsFromContext(app: App): AppSettings {
  return {
    onboardingStackName: text(app, 'onboardingStackName') ?? 'JwoOnboarding',
    connectorStackName: text(app, 'connectorStackName') ?? 'JwoConnector',
    multiAz: bool(app, 'multiAz', true),
    apiDesiredCount: count(app, 'apiDesiredCount', 2),
    workerDesiredCount: count(app, 'workerDesiredCount', 2),
    imageRepository: text(app, 'imageRepository'),
    imageTag: text(app, 'imageTag'),
    cloudWatchAgentImage: text(app, 'cloudWatchAgentImage'),
  };
}

export function buildApp(
  app: App,
  settings: AppSettings = settingsFromContext(app),
): { connector: ConnectorStack; onboarding: OnboardingStack } {
  const names = onboardingNames(settings.onboardingStackName);
  const connector = new ConnectorStack(app, settings.connectorStackName, {
    description: 'JWO app-entry connector: VPC, ECS Fargate API and worker, ALB, RDS PostgreSQL, secrets, alarms',
    onboardingNames: names,
    multiAz: settings.multiAz,
    apiDesiredCount: settings.apiDesiredCount,
    workerDesiredCount: settings.workerDesiredCount,
    ecrImage: settings.imageRepository
      ? { repositoryName: settings.imageRepository, tag: settings.imageTag ?? 'latest' }
      : undefined,
    cloudWatchAgentImage: settings.cloudWatchAgentImage
      ? ecs.ContainerImage.fromRegistry(settings.cloudWatchAgentImage)
      : undefined,
  });
  // Same app: the onboarding role trusts the worker's task role directly (so it deploys after the connector).
  const onboarding = new OnboardingStack(app, settings.onboardingStackName, {
    description: "JWO onboarding: the IAM role and SQS queue Amazon's Merchant Portal asks for",
    connectorTaskRole: connector.workerTaskRole,
    names,
  });
  return { connector, onboarding };
}
