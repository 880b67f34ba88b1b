import { GATE_PATH } from '../lib/connectorStack';
import { GAUGES, GAUGES_BY_STATUS, METRICS_NAMESPACE, TOKEN_WRITER } from '../lib/metricsAgent';
import { container, listenerRouting, resource, resourcesOfType, synthApp } from './support';

const { connector: template } = synthApp();

describe('network exposure', () => {
  const [lbSgId] = resource(template, 'AWS::EC2::SecurityGroup', 'LoadBalancerSecurityGroup');
  const [servicesSgId] = resource(template, 'AWS::EC2::SecurityGroup', 'ServicesSecurityGroup');
  const [dbSgId] = resource(template, 'AWS::EC2::SecurityGroup', 'DatabaseSecurityGroup');
  const groupIdOf = (ref: any): string => ref?.['Fn::GetAtt']?.[0] ?? ref?.Ref ?? JSON.stringify(ref);

  /** Every ingress rule, inline or standalone, as { group, ...rule }. */
  const ingress = [
    ...resourcesOfType(template, 'AWS::EC2::SecurityGroup').flatMap(([id, sg]) =>
      (sg.SecurityGroupIngress ?? []).map((r: any) => ({ group: id, ...r })),
    ),
    ...resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => ({
      ...r,
      group: groupIdOf(r.GroupId),
    })),
  ];

  test('nothing is open to the world but the load balancer on 443', () => {
    const open = ingress.filter((r) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0');
    expect(open.map(({ group, IpProtocol, FromPort, ToPort }) => ({ group, IpProtocol, FromPort, ToPort }))).toEqual([
      { group: lbSgId, IpProtocol: 'tcp', FromPort: 443, ToPort: 443 },
    ]);
    // No other CIDR-based ingress at all: everything else is security group to security group.
    expect(ingress.filter((r) => (r.CidrIp || r.CidrIpv6) && r.group !== lbSgId)).toEqual([]);
  });

  test('the database is reachable only from the services on 5432', () => {
    const toDb = ingress.filter((r) => r.group === dbSgId);
    expect(toDb).toHaveLength(1);
    expect(toDb[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    expect(groupIdOf(toDb[0].SourceSecurityGroupId)).toBe(servicesSgId);
  });

  test('the services accept only the load balancer, on the API port', () => {
    const toServices = ingress.filter((r) => r.group === servicesSgId);
    expect(toServices).toHaveLength(1);
    expect(toServices[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000 });
    expect(groupIdOf(toServices[0].SourceSecurityGroupId)).toBe(lbSgId);
  });

  test('tasks run in private subnets without public IPs', () => {
    for (const [, service] of resourcesOfType(template, 'AWS::ECS::Service')) {
      expect(service.LaunchType).toBe('FARGATE');
      expect(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
      expect(JSON.stringify(service.NetworkConfiguration.AwsvpcConfiguration.Subnets)).toMatch(/appSubnet/);
    }
  });

  test('the load balancer listens on HTTPS 443 only, with the certificate parameter', () => {
    const listeners = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::Listener');
    expect(listeners).toHaveLength(1);
    expect(listeners[0][1]).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: 'CertificateArn' } }],
    });
    const [, lb] = resource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'LoadBalancer');
    expect(lb.Scheme).toBe('internet-facing');
  });

  test('the gate path has its own target group; unlisted paths such as /metrics get 404 from the load balancer', () => {
    const [gateTgId] = resource(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'GateTargetGroup');
    const rules = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => r);
    const gateRule = rules.find((r) => r.Conditions[0].PathPatternConfig.Values.includes(GATE_PATH));
    expect(gateRule?.Actions[0].TargetGroupArn).toEqual({ Ref: gateTgId });
    const allPatterns = rules.flatMap((r) => r.Conditions[0].PathPatternConfig.Values as string[]);
    expect(allPatterns.some((p) => p.startsWith('/metrics') || p === '/*')).toBe(false);
    expect(listenerDefault()).toMatchObject({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } });
  });

  const listenerDefault = () =>
    resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::Listener')[0][1].DefaultActions[0];

  test('the app, the retailer’s app backend, operators and Amazon reach the API; /metrics and unknown paths do not', () => {
    const [gateTgId] = resource(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'GateTargetGroup');
    const [apiTgId] = resource(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'ApiTargetGroup');
    const routing = listenerRouting(template);
    const toApi = [
      '/app/v1/sessions',
      '/app/v1/me',
      '/app/v1/scan-keys',
      '/app-backend/v1/shoppers',
      '/app-backend/v1/shoppers/s-1/payment-method/setup-intents',
      '/ops/v1/stores',
      '/v1/order/purchases',
      '/healthz',
      '/readyz',
      '/openapi.json',
    ];
    for (const path of toApi) expect({ path, ...routing(path) }).toEqual({ path, forwardTo: apiTgId });
    expect(routing(GATE_PATH)).toEqual({ forwardTo: gateTgId });
    for (const path of ['/metrics', '/metrics/', '/', '/app-backendx', '/App/v1/me', '/ops', '/healthz/x'])
      expect({ path, ...routing(path) }).toEqual({ path, fixedResponse: '404' });
    // An ALB rule takes at most 5 condition values.
    for (const [, rule] of resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::ListenerRule'))
      expect(rule.Conditions.flatMap((c: any) => c.PathPatternConfig.Values).length).toBeLessThanOrEqual(5);
  });

  test('target groups check /healthz on the API port', () => {
    const groups = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(groups).toHaveLength(2);
    for (const [, tg] of groups) {
      expect(tg).toMatchObject({ HealthCheckPath: '/healthz', Port: 3000, Protocol: 'HTTP', TargetType: 'ip' });
    }
  });
});

describe('database', () => {
  const [, db] = resource(template, 'AWS::RDS::DBInstance', 'Database');

  test('is encrypted, backed up for 7 days, private, protected from deletion', () => {
    expect(db).toMatchObject({
      Engine: 'postgres',
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      PubliclyAccessible: false,
      DeletionProtection: true,
      MultiAZ: true,
    });
  });

  test('multiAz follows the context', () => {
    const single = synthApp({ multiAz: 'false' }).connector;
    expect(resource(single, 'AWS::RDS::DBInstance', 'Database')[1].MultiAZ).toBe(false);
  });

  test('its password is generated in Secrets Manager, with no character that would need escaping in a URL', () => {
    const generated = resourcesOfType(template, 'AWS::SecretsManager::Secret').filter(
      ([, s]) => s.GenerateSecretString?.GenerateStringKey === 'password',
    );
    expect(generated).toHaveLength(1);
    const [secretId, secret] = generated[0];
    expect(secret.GenerateSecretString.GenerateStringKey).toBe('password');
    expect(secret.GenerateSecretString.ExcludeCharacters).toContain('@');
    expect(secret.GenerateSecretString.ExcludeCharacters).toContain(':');
    expect(secret.GenerateSecretString.ExcludeCharacters).toContain('%');
    expect(JSON.stringify(db.MasterUserPassword)).toContain(secretId);
  });
});

describe('containers', () => {
  const api = container(template, 'ApiTask', 'api');
  const worker = container(template, 'WorkerTask', 'worker');
  const names = (list: Array<{ Name: string }> | undefined) => (list ?? []).map((e) => e.Name).sort();

  test('run the image’s commands for the API and the worker', () => {
    expect(api.Command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(api.Command[2]).toMatch(/\nexec node dist\/api\/server\.js$/);
    expect(worker.Command[2]).toMatch(/\nexec node dist\/worker\.js$/);
    // Both from the same image (the repository's Dockerfile).
    expect(api.Image).toEqual(worker.Image);
    expect(JSON.stringify(api.Image)).toContain('container-assets');
  });

  test('secrets are injected as ECS secrets, never as plain environment', () => {
    expect(names(api.Secrets)).toEqual(
      [
        'CONNECTOR_API_KEYS',
        'DB_PASSWORD',
        'DB_USER',
        'OPERATOR_API_KEYS',
        'APP_BACKEND_KEYS',
        'METRICS_TOKEN',
        'SCAN_KEY_MAC_KEYS',
        'APP_SESSION_SECRETS',
        'STRIPE_SECRET_KEY',
        'TEMPORAL_API_KEY',
        'TEMPORAL_TLS_CERT',
        'TEMPORAL_TLS_KEY',
      ].sort(),
    );
    expect(names(worker.Secrets)).toEqual(
      [
        'DB_PASSWORD',
        'DB_USER',
        'STRIPE_SECRET_KEY',
        'TEMPORAL_API_KEY',
        'TEMPORAL_TLS_CERT',
        'TEMPORAL_TLS_KEY',
      ].sort(),
    );
    const secretNames = [
      'CONNECTOR_API_KEYS',
      'OPERATOR_API_KEYS',
      'APP_BACKEND_KEYS',
      'METRICS_TOKEN',
      'SCAN_KEY_MAC_KEYS',
      'APP_SESSION_SECRETS',
      'TEMPORAL_API_KEY',
      'TEMPORAL_TLS_CERT',
      'TEMPORAL_TLS_KEY',
      'STRIPE_SECRET_KEY',
      'DB_PASSWORD',
      'DATABASE_URL',
    ];
    for (const c of [api, worker]) {
      expect(names(c.Environment).filter((n) => secretNames.includes(n))).toEqual([]);
      // Every secret comes from a secret of this stack (a Secrets Manager reference, not a literal).
      for (const s of c.Secrets)
        expect(JSON.stringify(s.ValueFrom)).toMatch(/"Ref":"(Secrets\w+|DatabaseSecretAttachment\w+)"/);
    }
    const byName = Object.fromEntries(worker.Secrets.map((s: any) => [s.Name, JSON.stringify(s.ValueFrom)]));
    expect(byName.DB_PASSWORD).toContain(':password::');
    expect(byName.STRIPE_SECRET_KEY).toContain(':secretKey::');
    // The API calls Stripe too (refunds, shoppers' card set-up): the same key from the same secret.
    const apiStripe = api.Secrets.find((s: any) => s.Name === 'STRIPE_SECRET_KEY');
    expect(JSON.stringify(apiStripe.ValueFrom)).toBe(byName.STRIPE_SECRET_KEY);
  });

  test('the plain environment carries what the product reads', () => {
    const env = (c: any) => Object.fromEntries(c.Environment.map((e: any) => [e.Name, e.Value]));
    expect(env(api)).toMatchObject({
      PORT: '3000',
      HOST: '0.0.0.0',
      TEMPORAL_ADDRESS: { Ref: 'TemporalAddress' },
      TEMPORAL_NAMESPACE: { Ref: 'TemporalNamespace' },
      SEED_DEMO: 'false',
      DB_NAME: 'jwo',
      PAYMENT_GATEWAY: 'stripe',
    });
    expect(env(worker)).toMatchObject({
      TEMPORAL_ADDRESS: { Ref: 'TemporalAddress' },
      PAYMENT_GATEWAY: 'stripe',
      CATALOG_API_ENDPOINT: { Ref: 'CatalogApiEndpoint' },
    });
    expect(JSON.stringify(env(worker).CATALOG_SQS_QUEUE_URL)).toContain('https://sqs.');
  });

  test('the API has a /healthz health check; both stop gracefully', () => {
    expect(api.HealthCheck.Command.join(' ')).toContain('http://127.0.0.1:3000/healthz');
    expect(api.StopTimeout).toBe(30);
    expect(worker.StopTimeout).toBe(120);
  });

  test('logs go to log groups with a retention', () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const [, g] of groups) expect(g.RetentionInDays).toBeGreaterThan(0);
    expect(api.LogConfiguration.LogDriver).toBe('awslogs');
    expect(worker.LogConfiguration.LogDriver).toBe('awslogs');
  });

  test('only the worker may assume the catalog role and read the catalog queue', () => {
    const policies = resourcesOfType(template, 'AWS::IAM::Policy').map(([, p]) => JSON.stringify(p));
    const assuming = policies.filter((p) => p.includes('sts:AssumeRole'));
    expect(assuming).toHaveLength(1);
    expect(assuming[0]).toContain('WorkerTaskTaskRole');
    expect(assuming[0]).toContain(':role/JwoOnboarding-catalog-api');
    expect(assuming[0]).toContain('sqs:ReceiveMessage');
  });
});

describe('metrics and alarms', () => {
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a);
  const [topicId] = resource(template, 'AWS::SNS::Topic', 'AlarmTopic');
  /** The metric names an alarm reads, directly or through metric math. */
  const metricNames = (a: any): string[] =>
    a.MetricName
      ? [a.MetricName]
      : (a.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName);
  const alarmOn = (name: string) => {
    const found = alarms.filter((a) => metricNames(a).includes(name));
    expect(found).toHaveLength(1);
    return found[0];
  };

  test('one alarm per alert of the README, plus no healthy API task', () => {
    expect(alarms).toHaveLength(7);
    expect(alarms.flatMap(metricNames).sort()).toEqual(
      [
        'HTTPCode_Target_5XX_Count',
        'RequestCount',
        'TargetResponseTime',
        'HealthyHostCount',
        'jwo_purchases',
        'jwo_bad_carts_open',
        'jwo_preauths_nearing_expiry',
        'jwo_catalog_uploads',
        'jwo_catalog_uploads',
      ].sort(),
    );
  });

  test('every alarm notifies the alarm topic', () => {
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(a.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  test('gate latency is the gate target group’s p99 above 0.5 s for 5 minutes', () => {
    const a = alarmOn('TargetResponseTime');
    expect(a).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: 0.5,
      EvaluationPeriods: 5,
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const [gateTgId] = resource(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'GateTargetGroup');
    expect(JSON.stringify(a.Dimensions)).toContain(gateTgId);
  });

  test('gate errors: the 5xx rate of the gate target group', () => {
    const a = alarmOn('HTTPCode_Target_5XX_Count');
    const expression = a.Metrics.find((m: any) => m.Expression);
    expect(expression.Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    expect(a).toMatchObject({ Threshold: 0, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanThreshold' });
  });

  test('business alarms read the agent’s metrics in JWO/Connector with their Prometheus names', () => {
    const failed = alarmOn('jwo_purchases');
    expect(failed).toMatchObject({ Namespace: METRICS_NAMESPACE, Statistic: 'Maximum', Threshold: 0 });
    expect(failed.Dimensions).toEqual(expect.arrayContaining([{ Name: 'status', Value: 'FAILED' }]));
    expect(alarmOn('jwo_bad_carts_open')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      EvaluationPeriods: 12,
      Period: 300,
    });
    expect(alarmOn('jwo_preauths_nearing_expiry')).toMatchObject({ Namespace: METRICS_NAMESPACE, Threshold: 0 });
    const catalog = alarmOn('jwo_catalog_uploads');
    const statuses = catalog.Metrics.filter((m: any) => m.MetricStat).map(
      (m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'status').Value,
    );
    expect(statuses.sort()).toEqual(['COMPLETED_WITH_FAILURES', 'FAILED']);
  });

  test('the CloudWatch agent sidecar scrapes the API on localhost and publishes every metric the alarms read', () => {
    const agent = container(template, 'ApiTask', 'cloudwatch-agent');
    expect(agent.Essential).toBe(false);
    const env = Object.fromEntries(agent.Environment.map((e: any) => [e.Name, e.Value]));
    const prometheus = JSON.parse(env.PROMETHEUS_CONFIG_CONTENT);
    // The API's port and its /metrics route (containerStartup.test.ts scrapes the real app this way).
    const api = container(template, 'ApiTask', 'api');
    const apiPort = Number(api.Environment.find((e: any) => e.Name === 'PORT').Value);
    expect(api.PortMappings.map((m: any) => m.ContainerPort)).toEqual([apiPort]);
    expect(prometheus.scrape_configs[0].static_configs[0].targets).toEqual([`127.0.0.1:${apiPort}`]);
    expect(prometheus.scrape_configs[0].metrics_path).toBe('/metrics');
    // CW_CONFIG_CONTENT refers to the log group by name (a Ref), so it is an Fn::Join: put a stand-in for the Ref and parse it.
    const parts: unknown[] = env.CW_CONFIG_CONTENT['Fn::Join'][1];
    const cwConfig = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'LOG-GROUP')).join(''));
    const prometheus2 = cwConfig.logs.metrics_collected.prometheus;
    expect(prometheus2.log_group_name).toBe('LOG-GROUP');
    expect(prometheus2.emf_processor.metric_namespace).toBe(METRICS_NAMESPACE);
    const selectors: string[] = prometheus2.emf_processor.metric_declaration.flatMap((d: any) => d.metric_selectors);
    const published = [...GAUGES, ...GAUGES_BY_STATUS];
    for (const a of alarms) {
      for (const name of metricNames(a).filter((n) => n.startsWith('jwo_'))) {
        expect(published).toContain(name);
        expect(selectors).toContain(`^${name}$`);
      }
    }
  });

  test('the agent scrapes with the API’s METRICS_TOKEN as a bearer token, read from a task volume, never from the template', () => {
    const [, task] = resource(template, 'AWS::ECS::TaskDefinition', 'ApiTask');
    const api = container(template, 'ApiTask', 'api');
    const agent = container(template, 'ApiTask', 'cloudwatch-agent');
    const writer = container(template, 'ApiTask', TOKEN_WRITER);
    const secretRef = (c: any, name: string) =>
      JSON.stringify((c.Secrets ?? []).find((s: any) => s.Name === name)?.ValueFrom);

    // One secret: the writer is given the very METRICS_TOKEN the API checks, and nothing else.
    expect(secretRef(api, 'METRICS_TOKEN')).toMatch(/^\{"Ref":"SecretsMetricsToken\w+"\}$/);
    expect((writer.Secrets as Array<{ Name: string }>).map((s) => s.Name)).toEqual(['METRICS_TOKEN']);
    expect(secretRef(writer, 'METRICS_TOKEN')).toBe(secretRef(api, 'METRICS_TOKEN'));
    // The agent holds no secret: its scrape configuration names a file.
    expect(agent.Secrets).toBeUndefined();
    const prometheus = JSON.parse(agent.Environment.find((e: any) => e.Name === 'PROMETHEUS_CONFIG_CONTENT').Value);
    const { authorization } = prometheus.scrape_configs[0];
    expect(authorization.type).toBe('Bearer');
    expect(Object.keys(authorization).sort()).toEqual(['credentials_file', 'type']);

    // The file is on a task-local volume (a Fargate bind mount: no host path, no EFS), which the writer
    // mounts read-write and the agent read-only, at the path the scrape configuration reads.
    const volumes = task.Volumes as Array<Record<string, any>>;
    const [writerMount] = writer.MountPoints;
    const [agentMount] = agent.MountPoints;
    expect(writerMount.SourceVolume).toBe(agentMount.SourceVolume);
    expect(volumes).toEqual([{ Name: writerMount.SourceVolume }]);
    expect([writerMount.ReadOnly, agentMount.ReadOnly]).toEqual([false, true]);
    expect(authorization.credentials_file.startsWith(`${agentMount.ContainerPath}/`)).toBe(true);
    expect(writer.Command[2]).toContain(
      `> ${writerMount.ContainerPath}/${authorization.credentials_file.slice(agentMount.ContainerPath.length + 1)}`,
    );
    expect(api.MountPoints ?? []).toEqual([]);

    // The writer runs once from the API's image and exits; the agent starts only once it has succeeded.
    expect(writer.Image).toEqual(api.Image);
    expect(writer.Essential).toBe(false);
    expect(writer.User).toBe('0');
    expect(agent.DependsOn).toEqual([{ ContainerName: TOKEN_WRITER, Condition: 'SUCCESS' }]);
    // The token itself appears nowhere in the template: only generated in Secrets Manager.
    const [, secret] = resource(template, 'AWS::SecretsManager::Secret', 'SecretsMetricsToken');
    expect(secret.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
    expect(secret.SecretString).toBeUndefined();
  });
});
