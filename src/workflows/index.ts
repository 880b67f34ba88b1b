/** Every workflow type the worker registers. Deterministic code only (no Node APIs, no I/O). */
export { entryWorkflow } from './entryWorkflow';
export { purchaseWorkflow } from './purchaseWorkflow';
export { catalogUploadWorkflow } from './catalogUploadWorkflow';
export { catalogSyncWorkflow } from './catalogSyncWorkflow';
