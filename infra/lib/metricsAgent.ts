/**
 * The product exposes Prometheus metrics at the API's /metrics. A CloudWatch agent sidecar in each
 * API task scrapes them over localhost (same network namespace in awsvpc mode, so no port is opened)
 * and publishes the business gauges as CloudWatch metrics (embedded metric format, through a log
 * group) in the namespace `JWO/Connector`, under their Prometheus names. The alarms in alarms.ts
 * read those metrics; request figures (gate errors and latency) come from the load balancer instead.
 *
 * The gauges are read from the database, so every replica reports the same value: alarms use the
 * Maximum statistic.
 *
 * Outside demo mode /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (404 without a
 * token configured), and the load balancer does not forward it either. The agent reads the token
 * from a file (`authorization.credentials_file` of the scrape config, re-read on every scrape): the
 * Prometheus configuration reaches the agent as a plain environment variable, which must hold no
 * secret, and the agent's image is built `FROM scratch`, with no shell to write a file from an
 * injected secret. So a short-lived container of the API's image (which has `sh`) receives
 * METRICS_TOKEN as an ECS secret, writes it (mode 0600) to a task-local volume and exits; the agent
 * starts after it succeeded and mounts that volume read-only. The token never appears in the task
 * definition or the template, and the volume lives and dies with the task.
 */
import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';

export const METRICS_NAMESPACE = 'JWO/Connector';
/** A label the scrape adds to every series; it becomes the metrics' dimension `Service`. */
export const SERVICE_DIMENSION = { name: 'Service', value: 'jwo-api' } as const;
/** Gauges with a `status` label: published with dimensions Service and status. */
export const GAUGES_BY_STATUS = ['jwo_purchases', 'jwo_catalog_uploads'] as const;
/** Gauges without labels: published with dimension Service. */
export const GAUGES = ['jwo_bad_carts_open', 'jwo_preauths_nearing_expiry', 'jwo_debts_open_minor'] as const;

const JOB = 'jwo-connector';
const selectors = (names: readonly string[]) => names.map((n) => `^${n}$`);

/** The task volume holding the metrics token, and where the writer and the agent mount it. */
export const TOKEN_VOLUME = 'metrics-token';
export const TOKEN_DIRECTORY = '/run/jwo-metrics';
export const TOKEN_FILE = `${TOKEN_DIRECTORY}/token`;
/** The container that writes the token for the agent. */
export const TOKEN_WRITER = 'metrics-token-writer';

/**
 * The writer's command: the token as injected, without a newline, readable by its owner only (the
 * agent runs as root). An empty token fails the writer, so the agent does not start scraping in vain.
 * `$NAME`, not `${NAME}`: see entrypoint.ts.
 */
export function tokenWriterCommand(): string[] {
  return [
    'sh',
    '-c',
    [
      'umask 077',
      `[ -n "$METRICS_TOKEN" ] || { echo 'METRICS_TOKEN is empty' >&2; exit 1; }`,
      `printf '%s' "$METRICS_TOKEN" > ${TOKEN_FILE}`,
    ].join('\n'),
  ];
}

/** The Prometheus scrape configuration (YAML is a superset of JSON, so JSON is written). */
export function prometheusConfig(port: number): string {
  return JSON.stringify({
    global: { scrape_interval: '1m', scrape_timeout: '10s' },
    scrape_configs: [
      {
        job_name: JOB,
        metrics_path: '/metrics',
        // What the API's /metrics requires outside demo mode: `Authorization: Bearer <METRICS_TOKEN>`.
        authorization: { type: 'Bearer', credentials_file: TOKEN_FILE },
        static_configs: [
          { targets: [`127.0.0.1:${port}`], labels: { [SERVICE_DIMENSION.name]: SERVICE_DIMENSION.value } },
        ],
      },
    ],
  });
}

/** The CloudWatch agent configuration: which scraped series become which CloudWatch metrics. */
export function cloudWatchAgentConfig(logGroupName: string): string {
  return JSON.stringify({
    logs: {
      metrics_collected: {
        prometheus: {
          log_group_name: logGroupName,
          prometheus_config_path: 'env:PROMETHEUS_CONFIG_CONTENT',
          emf_processor: {
            metric_namespace: METRICS_NAMESPACE,
            metric_declaration: [
              {
                source_labels: ['job'],
                label_matcher: `^${JOB}$`,
                dimensions: [[SERVICE_DIMENSION.name, 'status']],
                metric_selectors: selectors(GAUGES_BY_STATUS),
              },
              {
                source_labels: ['job'],
                label_matcher: `^${JOB}$`,
                dimensions: [[SERVICE_DIMENSION.name]],
                metric_selectors: selectors(GAUGES),
              },
            ],
          },
        },
      },
      force_flush_interval: 5,
    },
  });
}

export interface MetricsAgentOptions {
  readonly image: ecs.ContainerImage;
  /** Where the agent writes the embedded-metric-format records (CloudWatch turns them into metrics). */
  readonly metricsLogGroup: logs.ILogGroup;
  /** Where the agent's own log goes. */
  readonly logDriver: ecs.LogDriver;
  /** The API's port on localhost. */
  readonly port: number;
  /** METRICS_TOKEN, the same secret the API is given. */
  readonly token: ecs.Secret;
  /** An image with `sh` to write the token for the agent: the API's own (already pulled for the task). */
  readonly tokenWriterImage: ecs.ContainerImage;
}

/**
 * Adds the agent sidecar, and the container writing its scrape token, to a task definition, and
 * lets the task role write the agent's metric records.
 */
export function addMetricsAgent(
  taskDefinition: ecs.FargateTaskDefinition,
  options: MetricsAgentOptions,
): ecs.ContainerDefinition {
  // A Fargate bind mount: task storage, shared by the task's containers only, gone with the task.
  taskDefinition.addVolume({ name: TOKEN_VOLUME });
  const writer = taskDefinition.addContainer(TOKEN_WRITER, {
    image: options.tokenWriterImage,
    command: tokenWriterCommand(),
    secrets: { METRICS_TOKEN: options.token },
    // Runs once and exits; the agent waits for its success (only a non-essential container may exit).
    essential: false,
    // The volume's directory belongs to root (0755) on Fargate; the API image runs as `node`.
    user: '0',
    memoryLimitMiB: 32,
    logging: options.logDriver,
  });
  writer.addMountPoints({ sourceVolume: TOKEN_VOLUME, containerPath: TOKEN_DIRECTORY, readOnly: false });

  const container = taskDefinition.addContainer('cloudwatch-agent', {
    image: options.image,
    // A dead agent costs metrics, not traffic: it must not take the API task down with it.
    essential: false,
    cpu: 64,
    memoryLimitMiB: 128,
    environment: {
      PROMETHEUS_CONFIG_CONTENT: prometheusConfig(options.port),
      CW_CONFIG_CONTENT: cloudWatchAgentConfig(options.metricsLogGroup.logGroupName),
    },
    logging: options.logDriver,
    stopTimeout: Duration.seconds(10),
  });
  container.addMountPoints({ sourceVolume: TOKEN_VOLUME, containerPath: TOKEN_DIRECTORY, readOnly: true });
  container.addContainerDependencies({ container: writer, condition: ecs.ContainerDependencyCondition.SUCCESS });
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      // The log group's ARN ends in `:*`, which covers its streams.
      resources: [options.metricsLogGroup.logGroupArn],
    }),
  );
  return container;
}
