/**
 * CloudWatch alarms for the README's alert table ("Operating it" → "Alerts"), each notifying one
 * SNS topic (subscribe the on-call address or a chat integration to it).
 *
 * - Gate errors and latency come from the load balancer: the gate path has a target group of its
 *   own, so its 5xx count and p99 response time are the gate's alone. A gate 500 is what the
 *   product answers when no decision was made within GATE_DEADLINE_MS.
 * - Business conditions come from the product's Prometheus gauges, published by the CloudWatch
 *   agent sidecar (metricsAgent.ts) in `JWO/Connector` under their Prometheus names.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_DIMENSION } from './metricsAgent';

export interface ConnectorAlarmsProps {
  readonly topic: sns.ITopic;
  /** Target group of the gate path (POST /v1/identity/identity-keys). */
  readonly gateTargetGroup: elbv2.ApplicationTargetGroup;
  /** Target group of every other API path. */
  readonly apiTargetGroup: elbv2.ApplicationTargetGroup;
  /** Default 0.5 s: the README's suggestion, well inside Amazon's 2 s budget. */
  readonly gateLatencyP99Threshold?: Duration;
}

const businessGauge = (metricName: string, status?: string) =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [SERVICE_DIMENSION.name]: SERVICE_DIMENSION.value, ...(status ? { status } : {}) },
    // Read from the database: each replica reports the same value.
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.minutes(5),
  });

export class ConnectorAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ConnectorAlarmsProps) {
    super(scope, id);
    const add = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, alarmProps);
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      // Tell the on-call too when a condition clears.
      alarm.addOkAction(new actions.SnsAction(props.topic));
      this.alarms.push(alarm);
      return alarm;
    };
    const gate = props.gateTargetGroup.metrics;

    // Gate failing: any 5xx for 2 minutes (shoppers are then let in by the store default).
    const gate5xx = gate.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.SUM,
    });
    const gateRequests = gate.requestCount({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM });
    add('GateErrors', {
      alarmDescription:
        'Gate failing: the Identity Connector answered 5xx (README alert "Gate failing"). Shoppers are let in by the store default.',
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { errors: gate5xx, requests: gateRequests },
        label: 'Gate 5xx rate (%)',
        period: Duration.minutes(1),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Gate too slow: p99 above the threshold for 5 minutes.
    add('GateLatencyP99', {
      alarmDescription:
        'Gate too slow: p99 response time of the Identity Connector (README alert "Gate too slow"; Amazon allows 2 s).',
      metric: gate.targetResponseTime({ period: Duration.minutes(1), statistic: cloudwatch.Stats.p(99) }),
      threshold: (props.gateLatencyP99Threshold ?? Duration.millis(500)).toMilliseconds() / 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // No healthy API task: Amazon's calls (gate and purchases) get 503 from the load balancer itself.
    add('ApiUnhealthy', {
      alarmDescription: 'No healthy API task behind the load balancer: Amazon gets 503 for every call.',
      metric: props.apiTargetGroup.metrics.healthyHostCount({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MINIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    add('PurchasesFailed', {
      alarmDescription:
        'Purchases failing: jwo_purchases{status="FAILED"} > 0. Fix the cause, then `jwo purchases replay`.',
      metric: businessGauge('jwo_purchases', 'FAILED'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    add('BadCartsOpen', {
      alarmDescription:
        'Bad carts waiting: jwo_bad_carts_open > 0 for 1 hour. Decide them with `jwo badcarts resolve`.',
      metric: businessGauge('jwo_bad_carts_open'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // 12 five-minute periods = 1 hour.
      evaluationPeriods: 12,
      datapointsToAlarm: 12,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    add('PreauthsNearingExpiry', {
      alarmDescription:
        'Pre-auths about to lapse: jwo_preauths_nearing_expiry > 0, carts not charged before their authorization expires.',
      metric: businessGauge('jwo_preauths_nearing_expiry'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // "Rising": the number of failed uploads went up since the previous period.
    add('CatalogUploadsFailing', {
      alarmDescription:
        'Catalog upload failed: jwo_catalog_uploads{status=~"FAILED|COMPLETED_WITH_FAILURES"} rising. Read `jwo catalog report`, fix, `--retry-failed`.',
      metric: new cloudwatch.MathExpression({
        expression: 'DIFF(FILL(failed, REPEAT) + FILL(partial, REPEAT))',
        usingMetrics: {
          failed: businessGauge('jwo_catalog_uploads', 'FAILED'),
          partial: businessGauge('jwo_catalog_uploads', 'COMPLETED_WITH_FAILURES'),
        },
        label: 'Failed catalog uploads, change',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
