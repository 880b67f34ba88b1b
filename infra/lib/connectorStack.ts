/**
 * The connector itself: the API (Amazon's Identity and Ordering connectors, the shoppers' app and
 * the retailer's app backend, the operator API) and the Temporal worker as ECS Fargate services built from the repository's
 * Dockerfile, behind an internet-facing HTTPS load balancer, on RDS for PostgreSQL, with every
 * secret in Secrets Manager and alarms for the README's alert table.
 *
 *   internet ──443──► ALB (public subnets) ──3000──► API tasks ─┐ (private subnets, egress via NAT)
 *                                                   worker tasks ┼──5432──► RDS (isolated subnets)
 *                                     Temporal (TEMPORAL_ADDRESS) ◄┘ Amazon's Catalog API, SQS, STS
 */
import * as path from 'node:path';
import { ArnFormat, CfnOutput, CfnParameter, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ConnectorAlarms } from './alarms';
import { containerCommand, healthCheckCommand } from './entrypoint';
import { addMetricsAgent } from './metricsAgent';
import type { OnboardingNames } from './names';
import { ConnectorSecrets } from './secrets';

/** The repository root: the Docker build context of the connector's image. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const API_PORT = 3000;
const DATABASE_NAME = 'jwo';
/** Amazon's gate calls: a target group of their own gives the gate's own 5xx count and latency. */
export const GATE_PATH = '/v1/identity/identity-keys';
/**
 * The load balancer's allowlist of the API's paths (ALB path patterns; at most 5 values a rule):
 * Amazon's connectors (/v1), the shoppers' app (/app/v1: sessions, me, scan keys), the retailer's
 * app backend (/app-backend/v1: enrollment), operators (/ops/v1), health and the API description.
 * Everything else, notably /metrics (the agent reads it on localhost), is answered 404 by the load
 * balancer itself.
 */
export const FORWARDED_PATHS = {
  api: ['/v1/*', '/app', '/app/*', '/app-backend/*', '/ops/*'],
  health: ['/healthz', '/readyz'],
  description: ['/openapi.json'],
} as const;
/** Every ASCII punctuation character: the generated database password goes into a URL unescaped. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * The image from the repository's Dockerfile. Synth only stages the build context (no Docker
 * needed); `cdk deploy` builds and pushes it. Only what the Dockerfile copies is staged, so an
 * edit to the README or the tests does not make a new image.
 */
export function imageFromRepository(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(REPO_ROOT, {
    file: 'Dockerfile',
    platform: Platform.LINUX_AMD64,
    exclude: ['*', '!Dockerfile', '!package.json', '!package-lock.json', '!tsconfig.json', '!src'],
  });
}

export interface ConnectorStackProps extends StackProps {
  /** Names of the onboarding stack's role and queue (see names.ts for why they are not references). */
  readonly onboardingNames: OnboardingNames;
  /** RDS standby in a second AZ. Default true. */
  readonly multiAz?: boolean;
  /** Default 2 each: one per AZ, so a deployment or an AZ loss keeps the gate answering. */
  readonly apiDesiredCount?: number;
  readonly workerDesiredCount?: number;
  /** An image already pushed to ECR (a repository of this account and region), e.g. by CI. */
  readonly ecrImage?: { readonly repositoryName: string; readonly tag: string };
  /** Any image; wins over ecrImage. Default: built from the repository's Dockerfile (imageFromRepository). */
  readonly image?: ecs.ContainerImage;
  /** Default: the CloudWatch agent's public image. */
  readonly cloudWatchAgentImage?: ecs.ContainerImage;
  /** Default db.t4g.small. */
  readonly databaseInstanceType?: ec2.InstanceType;
  /** Default 7 days. */
  readonly backupRetention?: Duration;
  /** Retention of the services' logs. Default one month. */
  readonly logRetention?: logs.RetentionDays;
}

export class ConnectorStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly servicesSecurityGroup: ec2.SecurityGroup;
  readonly database: rds.DatabaseInstance;
  readonly secrets: ConnectorSecrets;
  readonly apiService: ecs.FargateService;
  readonly workerService: ecs.FargateService;
  /** The role Amazon's onboarding role trusts: only the worker calls Amazon's APIs. */
  readonly workerTaskRole: iam.IRole;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly alarmTopic: sns.Topic;
  readonly alarms: ConnectorAlarms;

  constructor(scope: Construct, id: string, props: ConnectorStackProps) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    // ---- Parameters: what differs between deployments of the same template.
    const certificateArn = new CfnParameter(this, 'CertificateArn', {
      type: 'String',
      description: "ACM certificate of the connector's host name (the HTTPS listener's certificate)",
      allowedPattern: '^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/\\S+$',
      constraintDescription: 'must be an ACM certificate ARN',
    });
    const temporalAddress = new CfnParameter(this, 'TemporalAddress', {
      type: 'String',
      description:
        'TEMPORAL_ADDRESS: the Temporal frontend, host:port (Temporal Cloud namespace endpoint or a self-hosted cluster)',
      minLength: 1,
    });
    const temporalNamespace = new CfnParameter(this, 'TemporalNamespace', {
      type: 'String',
      description: 'TEMPORAL_NAMESPACE',
      default: 'default',
      minLength: 1,
    });
    const catalogApiEndpoint = new CfnParameter(this, 'CatalogApiEndpoint', {
      type: 'String',
      description:
        "CATALOG_API_ENDPOINT: Amazon's Catalog API base URL from onboarding; empty leaves catalog uploads off",
      default: '',
    });

    // ---- Network: public subnets for the load balancer (and NAT), private ones with egress for the
    // tasks (Temporal, Amazon's APIs, Secrets Manager, ECR), isolated ones for the database.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 2,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    this.servicesSecurityGroup = new ec2.SecurityGroup(this, 'ServicesSecurityGroup', {
      vpc: this.vpc,
      description: 'JWO connector API and worker tasks (ingress: the load balancer to the API port only)',
      allowAllOutbound: true,
    });

    // ---- Database.
    const databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description: 'JWO connector PostgreSQL (ingress: the services on 5432 only)',
      allowAllOutbound: false,
    });
    databaseSecurityGroup.addIngressRule(this.servicesSecurityGroup, ec2.Port.tcp(5432), 'API and worker tasks');
    this.database = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: props.databaseInstanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [databaseSecurityGroup],
      publiclyAccessible: false,
      multiAz: props.multiAz ?? true,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret('jwo', { excludeCharacters: PUNCTUATION }),
      storageEncrypted: true,
      storageType: rds.StorageType.GP3,
      allocatedStorage: 20,
      maxAllocatedStorage: 200,
      backupRetention: props.backupRetention ?? Duration.days(7),
      deletionProtection: true,
      // Purchases and the payment ledger live here: a deleted stack leaves a final snapshot.
      removalPolicy: RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
    });
    const databaseSecret = this.database.secret;
    if (!databaseSecret) throw new Error('the database has no generated secret');
    this.secrets = new ConnectorSecrets(this, 'Secrets');

    // ---- Logs.
    const logGroup = (logId: string) =>
      new logs.LogGroup(this, logId, { retention: logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const apiLogs = logGroup('ApiLogs');
    const workerLogs = logGroup('WorkerLogs');
    const agentLogs = logGroup('MetricsAgentLogs');
    // Embedded-metric-format records of the agent: CloudWatch extracts the metrics, the records themselves are short-lived.
    const metricRecords = new logs.LogGroup(this, 'PrometheusMetricRecords', {
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // ---- Compute.
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const image =
      props.image ??
      (props.ecrImage
        ? // fromEcrRepository also gives the execution role pull rights on that repository (fromRegistry would not).
          ecs.ContainerImage.fromEcrRepository(
            ecr.Repository.fromRepositoryName(this, 'ImageRepository', props.ecrImage.repositoryName),
            props.ecrImage.tag,
          )
        : imageFromRepository());
    const common = {
      TEMPORAL_ADDRESS: temporalAddress.valueAsString,
      TEMPORAL_NAMESPACE: temporalNamespace.valueAsString,
      DB_HOST: this.database.dbInstanceEndpointAddress,
      DB_PORT: this.database.dbInstanceEndpointPort,
      DB_NAME: DATABASE_NAME,
      // The demo store belongs to the all-in-one, never to a real database.
      SEED_DEMO: 'false',
      // The simulator moves no money and is refused outside demo mode; STRIPE_SECRET_KEY is in both
      // containers' secrets (secrets.ts), so both refuse to start until the Payments secret is filled in.
      PAYMENT_GATEWAY: 'stripe',
      LOG_LEVEL: 'info',
    };
    const platform: ecs.RuntimePlatform = {
      cpuArchitecture: ecs.CpuArchitecture.X86_64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    };

    const apiTask = new ecs.FargateTaskDefinition(this, 'ApiTask', {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: platform,
    });
    apiTask.addContainer('api', {
      image,
      command: containerCommand('node dist/api/server.js'),
      environment: { ...common, PORT: String(API_PORT), HOST: '0.0.0.0' },
      secrets: this.secrets.forApi(databaseSecret),
      portMappings: [{ containerPort: API_PORT, protocol: ecs.Protocol.TCP }],
      healthCheck: {
        command: healthCheckCommand(API_PORT),
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // The load balancer drains the task first (deregistration delay); then SIGTERM lets the server
      // finish in-flight requests before this runs out.
      stopTimeout: Duration.seconds(30),
      logging: ecs.LogDrivers.awsLogs({ logGroup: apiLogs, streamPrefix: 'api' }),
    });
    addMetricsAgent(apiTask, {
      image: props.cloudWatchAgentImage ?? ecs.ContainerImage.fromRegistry('amazon/cloudwatch-agent:latest'),
      metricsLogGroup: metricRecords,
      logDriver: ecs.LogDrivers.awsLogs({ logGroup: agentLogs, streamPrefix: 'cloudwatch-agent' }),
      port: API_PORT,
      token: this.secrets.metricsTokenSecret(),
      tokenWriterImage: image,
    });

    // The catalog role and queue are the onboarding stack's; their names are fixed (names.ts).
    const catalogRoleArn = this.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: props.onboardingNames.catalogApiRoleName,
    });
    const catalogQueueArn = this.formatArn({
      service: 'sqs',
      resource: props.onboardingNames.catalogQueueName,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    const catalogQueueUrl = `https://sqs.${this.region}.${this.urlSuffix}/${this.account}/${props.onboardingNames.catalogQueueName}`;

    const workerTask = new ecs.FargateTaskDefinition(this, 'WorkerTask', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: platform,
    });
    workerTask.addContainer('worker', {
      image,
      command: containerCommand('node dist/worker.js'),
      environment: {
        ...common,
        CATALOG_API_ENDPOINT: catalogApiEndpoint.valueAsString,
        CATALOG_API_ROLE_ARN: catalogRoleArn,
        CATALOG_SQS_QUEUE_URL: catalogQueueUrl,
      },
      secrets: this.secrets.forWorker(databaseSecret),
      // Temporal's Worker drains in-flight activities on SIGTERM; 120 s is Fargate's maximum.
      stopTimeout: Duration.seconds(120),
      logging: ecs.LogDrivers.awsLogs({ logGroup: workerLogs, streamPrefix: 'worker' }),
    });
    workerTask.addToTaskRolePolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCatalogApiRole',
        actions: ['sts:AssumeRole'],
        resources: [catalogRoleArn],
      }),
    );
    workerTask.addToTaskRolePolicy(
      new iam.PolicyStatement({
        sid: 'ConsumeCatalogNotifications',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        resources: [catalogQueueArn],
      }),
    );
    this.workerTaskRole = workerTask.taskRole;

    const serviceDefaults = {
      cluster,
      securityGroups: [this.servicesSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      // New tasks start before old ones stop; a deployment that never gets healthy rolls back.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
    };
    this.apiService = new ecs.FargateService(this, 'ApiService', {
      ...serviceDefaults,
      taskDefinition: apiTask,
      desiredCount: props.apiDesiredCount ?? 2,
      healthCheckGracePeriod: Duration.seconds(60),
    });
    this.workerService = new ecs.FargateService(this, 'WorkerService', {
      ...serviceDefaults,
      taskDefinition: workerTask,
      desiredCount: props.workerDesiredCount ?? 2,
    });

    // ---- Load balancer: HTTPS only; the API's paths are allowlisted, everything else (notably
    // /metrics, which the agent reads on localhost) answers 404 at the load balancer.
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    const targetGroup = (tgId: string) =>
      new elbv2.ApplicationTargetGroup(this, tgId, {
        vpc: this.vpc,
        port: API_PORT,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        targets: [this.apiService.loadBalancerTarget({ containerName: 'api', containerPort: API_PORT })],
        healthCheck: {
          path: '/healthz',
          healthyHttpCodes: '200',
          interval: Duration.seconds(15),
          timeout: Duration.seconds(5),
          healthyThresholdCount: 2,
          unhealthyThresholdCount: 3,
        },
        // Shorter than the API's stopTimeout: in-flight requests finish before SIGTERM.
        deregistrationDelay: Duration.seconds(30),
      });
    const gateTargetGroup = targetGroup('GateTargetGroup');
    const apiTargetGroup = targetGroup('ApiTargetGroup');
    const listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(certificateArn.valueAsString)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: true,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: '{"message":"not found"}',
      }),
    });
    listener.addAction('Gate', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns([GATE_PATH])],
      action: elbv2.ListenerAction.forward([gateTargetGroup]),
    });
    listener.addAction('Api', {
      priority: 20,
      conditions: [elbv2.ListenerCondition.pathPatterns([...FORWARDED_PATHS.api])],
      action: elbv2.ListenerAction.forward([apiTargetGroup]),
    });
    listener.addAction('Health', {
      priority: 30,
      conditions: [elbv2.ListenerCondition.pathPatterns([...FORWARDED_PATHS.health])],
      action: elbv2.ListenerAction.forward([apiTargetGroup]),
    });
    listener.addAction('Description', {
      priority: 40,
      conditions: [elbv2.ListenerCondition.pathPatterns([...FORWARDED_PATHS.description])],
      action: elbv2.ListenerAction.forward([apiTargetGroup]),
    });

    // ---- Alarms.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'JWO connector alarms', enforceSSL: true });
    this.alarms = new ConnectorAlarms(this, 'Alarms', { topic: this.alarmTopic, gateTargetGroup, apiTargetGroup });

    // ---- Outputs.
    new CfnOutput(this, 'LoadBalancerDnsName', {
      description:
        "Point the connector's host name (the certificate's) at this; the Merchant Portal gets https://<host>/v1/...",
      value: this.loadBalancer.loadBalancerDnsName,
    });
    new CfnOutput(this, 'WorkerTaskRoleArn', {
      description:
        'The role the onboarding role trusts (ConnectorTaskRoleArn when the onboarding stack is deployed on its own)',
      value: this.workerTaskRole.roleArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe the on-call to it',
      value: this.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'DatabaseSecretName', {
      description: 'Generated PostgreSQL credentials',
      value: databaseSecret.secretName,
    });
    for (const { id: secretId, secret } of this.secrets.all()) {
      new CfnOutput(this, `${secretId}SecretName`, { value: secret.secretName });
    }
  }
}
