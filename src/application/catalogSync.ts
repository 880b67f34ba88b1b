/**
 * Catalog sync use cases: start a sync (a file sent with the request, or a URL the worker
 * downloads), follow it, list its delta, write the archive list, the store's relevant fields,
 * and the store's sync schedule (a Temporal Schedule, visible and pausable in the Temporal UI).
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { Client, ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { Database, Queryable } from '../adapters/db/database';
import { findStore } from '../adapters/identity/identityStore';
import { startOnce } from '../adapters/temporal/startOnce';
import {
  createSync,
  deleteScheduleRecord,
  findSync,
  listScheduleRecords,
  listSyncDelta,
  loadSyncSettings,
  saveScheduleRecord,
  saveSyncSettings,
  setSchedulePaused,
  takeArchiveList,
  type ArchiveCandidate,
  type SyncDeltaRow,
} from '../adapters/catalog/catalogSyncStore';
import { isUrlSource } from '../adapters/catalog/catalogSource';
import { effectiveSyncFields, type SyncField, type SyncFieldSettings } from '../domain/catalog/delta';
import {
  catalogSyncScheduleId,
  catalogSyncWorkflowId,
  type CatalogSyncInput,
  type CatalogSyncRecord,
} from '../shared/catalogSyncMessages';
import { StoreIdKey } from '../shared/searchAttributes';
import type * as workflows from '../workflows';
import { InvalidRequest, NotFound, StateConflict } from './errors';

export interface CatalogSyncDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  chunkSize: number;
  pollIntervalMs: number;
}

async function requireStore(db: Queryable, storeId: string): Promise<void> {
  if (!(await findStore(db, storeId))) throw new NotFound(`store ${storeId} does not exist`);
}

function checkSource(source: string, field: string): void {
  if (isUrlSource(source)) {
    try {
      new URL(source);
      return;
    } catch {
      throw new InvalidRequest([{ field, reason: 'is not a valid URL' }]);
    }
  }
  if (!isAbsolute(source)) {
    throw new InvalidRequest([{ field, reason: 'must be an http(s) URL or an absolute path the worker can read' }]);
  }
}

export interface StartSyncRequest {
  storeId: string;
  /** The file itself, as `jwo catalog import` sends it… */
  format?: 'csv' | 'json';
  content?: string;
  /** …or a URL (or a path on the worker) to read it from. */
  source?: string;
  dryRun?: boolean;
}

export interface StartedSync {
  syncId: string;
  workflowId: string;
  storeId: string;
  dryRun: boolean;
}

export async function startCatalogSync(deps: CatalogSyncDeps, request: StartSyncRequest): Promise<StartedSync> {
  const { storeId } = request;
  await requireStore(deps.db, storeId);
  const hasContent = request.content !== undefined;
  if (hasContent === (request.source !== undefined))
    throw new InvalidRequest([{ field: 'content', reason: 'give either content (with format) or source' }]);
  if (hasContent && !request.format)
    throw new InvalidRequest([{ field: 'format', reason: 'is required with content' }]);
  if (request.source !== undefined) checkSource(request.source, 'source');

  const dryRun = request.dryRun ?? false;
  if (!dryRun) await ensureNoSyncRunning(deps.db, storeId);
  const syncId = randomUUID();
  const workflowId = catalogSyncWorkflowId(syncId);
  await createSync(deps.db, {
    syncId,
    storeId,
    workflowId,
    trigger: 'MANUAL',
    dryRun,
    source: request.source ?? null,
    sourceFormat: hasContent ? request.format! : null,
    sourceContent: request.content ?? null,
  });
  const input: CatalogSyncInput = {
    storeId,
    syncId,
    dryRun,
    chunkSize: deps.chunkSize,
    pollIntervalMs: deps.pollIntervalMs,
  };
  await startOnce(deps.temporal, 'catalogSyncWorkflow', {
    taskQueue: deps.taskQueue,
    workflowId,
    args: [input],
    typedSearchAttributes: [{ key: StoreIdKey, value: storeId }],
  });
  return { syncId, workflowId, storeId, dryRun };
}

export interface SyncStatus {
  sync: CatalogSyncRecord;
  /** The Temporal workflow's status (RUNNING, COMPLETED, FAILED, TERMINATED, …); null if Temporal has no such workflow. */
  workflowStatus: string | null;
}

export async function getCatalogSync(deps: { db: Queryable; temporal: Client }, syncId: string): Promise<SyncStatus> {
  const sync = await findSync(deps.db, syncId);
  if (!sync) throw new NotFound(`catalog sync ${syncId} does not exist`);
  let workflowStatus: string | null = null;
  try {
    workflowStatus = (await deps.temporal.workflow.getHandle(sync.workflowId).describe()).status.name;
  } catch (err) {
    if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
  }
  return { sync, workflowStatus };
}

export const DELTA_CHANGES = ['NEW', 'CHANGED', 'RETRY', 'REMOVED'] as const;

export async function getCatalogSyncDelta(db: Queryable, syncId: string, change?: string): Promise<SyncDeltaRow[]> {
  if (change !== undefined && !(DELTA_CHANGES as readonly string[]).includes(change))
    throw new InvalidRequest([{ field: 'change', reason: `must be one of ${DELTA_CHANGES.join(', ')}` }]);
  if (!(await findSync(db, syncId))) throw new NotFound(`catalog sync ${syncId} does not exist`);
  return listSyncDelta(db, syncId, change);
}

/**
 * The Merchant Portal's catalog template rows that archive the SKUs gone from the source (Amazon
 * documents archiving there, not through the API). With `markArchived`, they leave the baseline: a
 * SKU that comes back later is sent as new.
 */
export async function catalogArchiveList(
  db: Database,
  storeId: string,
  markArchived: boolean,
): Promise<ArchiveCandidate[]> {
  await requireStore(db, storeId);
  return takeArchiveList(db, storeId, markArchived);
}

export async function getSyncSettings(
  db: Queryable,
  storeId: string,
): Promise<SyncFieldSettings & { effective: SyncField[] }> {
  await requireStore(db, storeId);
  const settings = await loadSyncSettings(db, storeId);
  return { ...settings, effective: effectiveSyncFields(settings) };
}

export async function updateSyncSettings(
  db: Queryable,
  storeId: string,
  change: { fields?: SyncField[]; priceOnReceipts?: boolean },
): Promise<SyncFieldSettings & { effective: SyncField[] }> {
  await requireStore(db, storeId);
  const current = await loadSyncSettings(db, storeId);
  const settings: SyncFieldSettings = {
    fields: change.fields ?? current.fields,
    priceOnReceipts: change.priceOnReceipts ?? current.priceOnReceipts,
  };
  await saveSyncSettings(db, storeId, settings);
  return { ...settings, effective: effectiveSyncFields(settings) };
}

// ---------------------------------------------------------------- schedules

export interface ScheduleView {
  storeId: string;
  scheduleId: string;
  source: string;
  cron: string;
  paused: boolean;
  note: string | null;
  nextRuns: string[];
  lastRuns: { scheduledAt: string; workflowId: string }[];
  skippedOverlapping: number;
}

/** Compared by name: instanceof fails across module registries (jest, bundlers). */
const isScheduleNotFound = (err: unknown) => (err as Error).name === 'ScheduleNotFoundError';

/** Creates the store's schedule, or replaces its source and cron if it has one. */
export async function scheduleCatalogSync(
  deps: CatalogSyncDeps,
  request: { storeId: string; source: string; cron: string },
): Promise<ScheduleView> {
  const { storeId, source, cron } = request;
  await requireStore(deps.db, storeId);
  checkSource(source, 'source');
  const scheduleId = catalogSyncScheduleId(storeId);
  const input: CatalogSyncInput = {
    storeId,
    source,
    chunkSize: deps.chunkSize,
    pollIntervalMs: deps.pollIntervalMs,
  };
  const action: ScheduleOptionsStartWorkflowAction<(typeof workflows)['catalogSyncWorkflow']> = {
    type: 'startWorkflow',
    workflowType: 'catalogSyncWorkflow',
    taskQueue: deps.taskQueue,
    // Each run's id is this plus the scheduled time; the run uses it as its sync id.
    workflowId: scheduleId,
    args: [input],
    typedSearchAttributes: [{ key: StoreIdKey, value: storeId }],
  };
  const spec = { cronExpressions: [cron] };
  const note = `catalog sync of store ${storeId} from ${source}`;
  try {
    try {
      await deps.temporal.schedule.create({
        scheduleId,
        spec,
        action,
        // A run still going when the next is due: the next one is skipped, never queued or run alongside.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
        state: { note },
      });
    } catch (err) {
      if ((err as Error).name !== 'ScheduleAlreadyRunning') throw err;
      await deps.temporal.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec,
        action,
        state: { ...previous.state, paused: false, note },
      }));
    }
  } catch (err) {
    // Temporal refuses a cron it cannot read with INVALID_ARGUMENT (gRPC code 3).
    if ((err as { code?: number }).code === 3 || /invalid|cron/i.test((err as Error).message))
      throw new InvalidRequest([{ field: 'cron', reason: `Temporal refused it: ${(err as Error).message}` }]);
    throw err;
  }
  await saveScheduleRecord(deps.db, { storeId, scheduleId, source, cron });
  return describeSchedule(deps, storeId);
}

async function describeSchedule(deps: { db: Queryable; temporal: Client }, storeId: string): Promise<ScheduleView> {
  const record = (await listScheduleRecords(deps.db)).find((row) => row.storeId === storeId);
  const scheduleId = catalogSyncScheduleId(storeId);
  let description;
  try {
    description = await deps.temporal.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (isScheduleNotFound(err)) throw new NotFound(`store ${storeId} has no catalog sync schedule`);
    throw err;
  }
  return {
    storeId,
    scheduleId,
    source: record?.source ?? '',
    cron: record?.cron ?? '',
    paused: description.state.paused,
    note: description.state.note ?? null,
    nextRuns: description.info.nextActionTimes.slice(0, 3).map((at) => at.toISOString()),
    lastRuns: description.info.recentActions.slice(-3).map((run) => ({
      scheduledAt: run.scheduledAt.toISOString(),
      workflowId: run.action.workflow.workflowId,
    })),
    skippedOverlapping: description.info.numActionsSkippedOverlap,
  };
}

export async function listCatalogSyncSchedules(deps: { db: Queryable; temporal: Client }): Promise<ScheduleView[]> {
  const views: ScheduleView[] = [];
  for (const record of await listScheduleRecords(deps.db)) {
    try {
      views.push(await describeSchedule(deps, record.storeId));
    } catch (err) {
      // Deleted in the Temporal UI: forget it here too.
      if (!(err instanceof NotFound)) throw err;
      await deleteScheduleRecord(deps.db, record.storeId);
    }
  }
  return views;
}

export async function pauseCatalogSyncSchedule(
  deps: { db: Queryable; temporal: Client },
  storeId: string,
  paused: boolean,
): Promise<ScheduleView> {
  const handle = deps.temporal.schedule.getHandle(catalogSyncScheduleId(storeId));
  try {
    if (paused) await handle.pause('paused with jwo catalog schedule --pause');
    else await handle.unpause('resumed with jwo catalog schedule --unpause');
  } catch (err) {
    if (isScheduleNotFound(err)) throw new NotFound(`store ${storeId} has no catalog sync schedule`);
    throw err;
  }
  await setSchedulePaused(deps.db, storeId, paused);
  return describeSchedule(deps, storeId);
}

export async function deleteCatalogSyncSchedule(
  deps: { db: Queryable; temporal: Client },
  storeId: string,
): Promise<void> {
  try {
    await deps.temporal.schedule.getHandle(catalogSyncScheduleId(storeId)).delete();
  } catch (err) {
    if (!isScheduleNotFound(err)) throw err;
    if (!(await listScheduleRecords(deps.db)).some((row) => row.storeId === storeId))
      throw new NotFound(`store ${storeId} has no catalog sync schedule`);
  }
  await deleteScheduleRecord(deps.db, storeId);
}

/** Guards against a second sync of a store while one runs (a scheduled run and a manual one would send the same delta twice). */
export async function ensureNoSyncRunning(db: Queryable, storeId: string): Promise<void> {
  const [row] = await db.query<{ sync_id: string }>(
    `SELECT sync_id FROM catalog_syncs WHERE store_id = $1 AND status = 'RUNNING' AND NOT dry_run AND created_at > now() - interval '6 hours' LIMIT 1`,
    [storeId],
  );
  if (row) throw new StateConflict(`catalog sync ${row.sync_id} of store ${storeId} is still running`);
}
