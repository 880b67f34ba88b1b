/**
 * The catalog worker: runs only the Upload Catalog activity, on the catalog task queue. Its
 * `maxTaskQueueActivitiesPerSecond` is enforced by the Temporal server for all workers of the
 * queue together, so any number of replicas stay within Amazon's 10 requests a second without a
 * sleep anywhere (see CATALOG_UPLOADS_PER_SECOND for why the default is below 10).
 */
import type { PayloadCodec } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createCatalogActivities, type CatalogActivityDeps } from './activities/catalogActivities';
import { catalogTaskQueue } from './shared/workflowIds';

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
  const { sendCatalogChunk } = createCatalogActivities(setup.deps);
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: catalogTaskQueue(setup.mainTaskQueue),
    activities: { sendCatalogChunk },
    dataConverter: { payloadCodecs: setup.payloadCodecs ?? [] },
    maxTaskQueueActivitiesPerSecond: setup.uploadsPerSecond,
  });
}
