export { APP_ENTRY_CHECKLIST } from './appEntryChecklist';
export { checklistReport, type ChecklistOptions } from './checklistReport';
export {
  AREAS,
  LIVE_CHECKS,
  type Area,
  type CheckedItem,
  type ChecklistItem,
  type CheckOutcome,
  type CheckStatus,
  type LiveCheckId,
} from './checklistItem';
export { type Deployment } from './deploymentHttp';
export { GATE_P99_BUDGET_MS, runLiveChecks } from './liveChecks';
export { READINESS_PATH, readinessReportSchema, type ReadinessReport } from '../../../api/ops/readinessReport';
export {
  CHECKLIST_CSV_HEADER,
  LIVE_CHECKLIST_CSV_HEADER,
  renderChecklistCsv,
  renderChecklistMarkdown,
} from './renderChecklist';
export { REQUIRED_METRICS } from './requiredMetrics';
