/**
 * The checks `jwo checklist --live` runs against a running deployment, over HTTP only (the same
 * view an operator has). Each check answers PASSED, FAILED with the reason, or MANUAL when the
 * deployment cannot tell (no readiness endpoint, no load test recorded).
 */
import { SEARCH_ATTRIBUTES } from '../../../shared/searchAttributes';
import type { CheckOutcome, LiveCheckId } from './checklistItem';
import { callDeployment, jsonBody, type Deployment } from './deploymentHttp';
import { READINESS_PATH, readinessReportSchema, type ReadinessReport } from '../../../api/ops/readinessReport';
import { REQUIRED_METRICS } from './requiredMetrics';

export const GATE_P99_BUDGET_MS = 2000;

const passed = (detail: string): CheckOutcome => ({ status: 'PASSED', detail });
const failed = (detail: string): CheckOutcome => ({ status: 'FAILED', detail });
const manual = (detail: string): CheckOutcome => ({ status: 'MANUAL', detail });

/** A check that cannot get its answer fails with the reason, rather than stopping the others. */
async function guarded(check: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await check();
  } catch (err) {
    return failed((err as Error).message);
  }
}

async function checkHealthz(deployment: Deployment): Promise<CheckOutcome> {
  const answer = await callDeployment(deployment, { method: 'GET', path: '/healthz' });
  return answer.status === 200 ? passed('GET /healthz answered 200') : failed(`GET /healthz answered ${answer.status}`);
}

async function checkReadyz(deployment: Deployment): Promise<CheckOutcome> {
  const answer = await callDeployment(deployment, { method: 'GET', path: '/readyz' });
  const body = jsonBody(answer) as Record<string, unknown> | undefined;
  const problems = (['database', 'temporal'] as const).flatMap((dependency) => {
    const state = body?.[dependency];
    if (state === undefined) return [`does not report ${dependency}`];
    return state === 'ok' ? [] : [`${dependency}: ${String(state)}`];
  });
  if (answer.status === 200 && problems.length === 0)
    return passed('GET /readyz answered 200: database ok, temporal ok');
  return failed(`GET /readyz answered ${answer.status}${problems.length ? `: ${problems.join('; ')}` : ''}`);
}

/** An empty body with no key: authentication must come before validation, or the endpoint leaks its rules. */
async function checkRefusesAnonymous(deployment: Deployment, path: string): Promise<CheckOutcome> {
  const answer = await callDeployment(deployment, { method: 'POST', path, json: {} });
  return answer.status === 401
    ? passed(`POST ${path} without credentials answered 401`)
    : failed(`POST ${path} without credentials answered ${answer.status}; it must answer 401`);
}

async function checkMetrics(deployment: Deployment): Promise<CheckOutcome> {
  const answer = await callDeployment(deployment, { method: 'GET', path: '/metrics' });
  if (answer.status !== 200) return failed(`GET /metrics answered ${answer.status}`);
  // A metric is exported once registered, even before its first sample: its TYPE line is there.
  const missing = REQUIRED_METRICS.filter(
    (name) => !answer.body.split('\n').some((line) => line.startsWith(`# TYPE ${name} `)),
  );
  return missing.length === 0
    ? passed(`all ${REQUIRED_METRICS.length} alert metrics exported`)
    : failed(`not exported: ${missing.join(', ')}`);
}

type ReadinessAnswer = { report: ReadinessReport } | { unavailable: CheckOutcome };

async function fetchReadiness(deployment: Deployment): Promise<ReadinessAnswer> {
  try {
    const answer = await callDeployment(deployment, {
      method: 'GET',
      path: READINESS_PATH,
      headers: { 'x-operator-key': deployment.operatorKey },
    });
    if (answer.status === 404)
      return {
        unavailable: manual(
          `the deployment has no ${READINESS_PATH} (404), so this cannot be checked over HTTP: check it by hand`,
        ),
      };
    if (answer.status === 401 || answer.status === 403) {
      return {
        unavailable: failed(
          `GET ${READINESS_PATH} answered ${answer.status}: set JWO_OPERATOR_KEY to one of the deployment's operator keys`,
        ),
      };
    }
    if (answer.status !== 200) return { unavailable: failed(`GET ${READINESS_PATH} answered ${answer.status}`) };
    const parsed = readinessReportSchema.safeParse(jsonBody(answer));
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ');
      return {
        unavailable: failed(`GET ${READINESS_PATH} answered something that is not a readiness report (${issues})`),
      };
    }
    return { report: parsed.data };
  } catch (err) {
    return { unavailable: failed((err as Error).message) };
  }
}

function checkTemporal(report: ReadinessReport): CheckOutcome {
  const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !report.temporal.searchAttributes.includes(name));
  const problems = [
    ...(report.temporal.reachable ? [] : ['Temporal is not reachable from the deployment']),
    ...(missing.length ? [`search attributes not registered: ${missing.join(', ')}`] : []),
  ];
  return problems.length === 0
    ? passed(`reachable; search attributes ${Object.keys(SEARCH_ATTRIBUTES).join(', ')} registered`)
    : failed(problems.join('; '));
}

function checkCatalog(report: ReadinessReport): CheckOutcome {
  if (report.stores.length === 0) return failed('the deployment has no store');
  const problems = report.stores.flatMap(({ storeId, catalogItems, lastCatalogUpload }) => {
    if (lastCatalogUpload.status === null) return [`${storeId}: no catalog upload`];
    if (lastCatalogUpload.status !== 'DONE') return [`${storeId}: last catalog upload is ${lastCatalogUpload.status}`];
    return catalogItems === 0 ? [`${storeId}: last upload DONE but no catalog items`] : [];
  });
  if (problems.length) return failed(problems.join('; '));
  return passed(
    report.stores
      .map(
        (s) =>
          `${s.storeId}: ${s.catalogItems} items, DONE${s.lastCatalogUpload.finishedAt ? ` at ${s.lastCatalogUpload.finishedAt}` : ''}`,
      )
      .join('; '),
  );
}

function checkGateP99(report: ReadinessReport): CheckOutcome {
  const p99 = report.lastLoadTest?.gateP99Ms ?? null;
  if (p99 === null) return manual('no load test recorded: run one and record its gate p99');
  const when = report.lastLoadTest?.at ? ` (load test at ${report.lastLoadTest.at})` : '';
  return p99 <= GATE_P99_BUDGET_MS
    ? passed(`gate p99 ${p99} ms${when}, within ${GATE_P99_BUDGET_MS} ms`)
    : failed(`gate p99 ${p99} ms${when} is over the ${GATE_P99_BUDGET_MS} ms budget`);
}

function checkSecrets(report: ReadinessReport): CheckOutcome {
  return report.secretsAtDemoValues.length === 0
    ? passed('no secret at its demo value')
    : failed(`still at their demo values: ${report.secretsAtDemoValues.join(', ')}`);
}

export async function runLiveChecks(deployment: Deployment): Promise<Record<LiveCheckId, CheckOutcome>> {
  const [healthz, readyz, identityAuth, purchasesAuth, metrics, readiness] = await Promise.all([
    guarded(() => checkHealthz(deployment)),
    guarded(() => checkReadyz(deployment)),
    guarded(() => checkRefusesAnonymous(deployment, '/v1/identity/identity-keys')),
    guarded(() => checkRefusesAnonymous(deployment, '/v1/order/purchases')),
    guarded(() => checkMetrics(deployment)),
    fetchReadiness(deployment),
  ]);
  const fromReport = (check: (report: ReadinessReport) => CheckOutcome) =>
    'report' in readiness ? check(readiness.report) : readiness.unavailable;
  return {
    healthz,
    readyz,
    'identity-auth': identityAuth,
    'purchases-auth': purchasesAuth,
    metrics,
    temporal: fromReport(checkTemporal),
    catalog: fromReport(checkCatalog),
    'gate-p99': fromReport(checkGateP99),
    secrets: fromReport(checkSecrets),
  };
}
