/**
 * The catalog worker: runs only the Upload Catalog activity, on the catalog task queue. Amazon
 * allows at most 10 Upload Catalog requests in any one-second window, however many workers send.
 * Two stages keep to it for all workers together:
 *
 * 1. the Temporal server paces the queue (`maxTaskQueueActivitiesPerSecond`), so tasks do not pile
 *    up in the workers; its token bucket overshoots (about a second's worth at once on each of the
 *    queue's partitions), so it is not the guarantee;
 * 2. the guarantee: every request first claims a slot in a window shared through the connector's
 *    database (adapters/db/requestWindow.ts): at most N claims in any (1000·N/R + GUARD_MS) ms by
 *    the database's clock, N = floor(R), R = CATALOG_UPLOADS_PER_SECOND. A claim older than
 *    MAX_CLAIM_AGE_MS when the request would leave is claimed again. So N + 1 consecutive requests
 *    leave at least 1000 + GUARD_MS − MAX_CLAIM_AGE_MS ms apart, and arrive at Amazon at least
 *    1000 ms apart as long as signing and the network vary a request's remaining delay by less
 *    than GUARD_MS − MAX_CLAIM_AGE_MS (50 ms); hence never more than N in any second at Amazon.
 *    At R = 10 the sustained rate is 10 per 1.1 s (9.1 requests a second).
 */
import type { PayloadCodec } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createCatalogActivities, type CatalogActivityDeps } from './activities/catalogActivities';
import { catalogTaskQueue } from './shared/workflowIds';
import { createRequestWindow } from './adapters/db/requestWindow';

/** Added to the window: room for the claim's age plus the variation of signing and network delay. */
export const GUARD_MS = 200;
/** A claim older than this when the request would leave is replaced by a fresh one. */
export const MAX_CLAIM_AGE_MS = 50;

/** The shared window for `uploadsPerSecond`: N = floor(R) requests per (1000·N/R + GUARD_MS) ms. */
export function catalogRequestWindow(uploadsPerSecond: number): { maxRequests: number; windowMs: number } {
  const maxRequests = Math.max(1, Math.floor(uploadsPerSecond));
  return { maxRequests, windowMs: (1000 * maxRequests) / uploadsPerSecond + GUARD_MS };
}

export interface CatalogWorkerSetup {
  connection: NativeConnection;
  namespace: string;
  /** The main task queue; the catalog queue's name is derived from it. */
  mainTaskQueue: string;
  deps: CatalogActivityDeps;
  uploadsPerSecond: number;
  /** The payload codecs (encryption) the clients use too. */
  payloadCodecs?: PayloadCodec[];
}

export async function createCatalogWorker(setup: CatalogWorkerSetup): Promise<Worker> {
  const { maxRequests, windowMs } = catalogRequestWindow(setup.uploadsPerSecond);
  const window = createRequestWindow(setup.deps.db, {
    key: 'amazon-catalog-upload',
    maxRequests,
    windowMs,
    maxClaimAgeMs: MAX_CLAIM_AGE_MS,
    // Under the activity's 1-minute start-to-close timeout: an attempt never sends after it timed out.
    maxWaitMs: 40_000,
  });
  const api = setup.deps.catalogApi;
  const catalogApi: typeof api = {
    parseReport: api.parseReport,
    region: api.region,
    uploadCatalog: (items) => window.sendWithin(() => api.uploadCatalog(items)),
    getUploadStatus: (ingestionId) => api.getUploadStatus(ingestionId),
    fetchReport: (url) => api.fetchReport(url),
  };
  const { sendCatalogChunk } = createCatalogActivities({ ...setup.deps, catalogApi });
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: catalogTaskQueue(setup.mainTaskQueue),
    activities: { sendCatalogChunk },
    dataConverter: { payloadCodecs: setup.payloadCodecs ?? [] },
    maxTaskQueueActivitiesPerSecond: (1000 * maxRequests) / windowMs,
  });
}
