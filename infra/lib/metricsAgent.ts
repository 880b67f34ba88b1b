/**
 * The product exposes Prometheus metrics at the API's /metrics. A CloudWatch agent sidecar in each
 * API task scrapes them over localhost (same network namespace in awsvpc mode, so no port is opened)
 * and publishes the business gauges as CloudWatch metrics (embedded metric format, through a log
 * group) in the namespace `JWO/Connector`, under their Prometheus names. The alarms in alarms.ts
 * read those metrics; request figures (gate errors and latency) come from the load balancer instead.
 *
 * The gauges are read from the database, so every replica reports the same value: alarms use the
 * Maximum statistic.
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

/** The Prometheus scrape configuration (YAML is a superset of JSON, so JSON is written). */
export function prometheusConfig(port: number): string {
  return JSON.stringify({
    global: { scrape_interval: '1m', scrape_timeout: '10s' },
    scrape_configs: [
      {
        job_name: JOB,
        metrics_path: '/metrics',
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
}

/** Adds the agent sidecar to a task definition and lets the task role write its metric records. */
export function addMetricsAgent(
  taskDefinition: ecs.FargateTaskDefinition,
  options: MetricsAgentOptions,
): ecs.ContainerDefinition {
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
  taskDefinition.addToTaskRolePolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      // The log group's ARN ends in `:*`, which covers its streams.
      resources: [options.metricsLogGroup.logGroupArn],
    }),
  );
  return container;
}
