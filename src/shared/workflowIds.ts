/** Workflow ids are derived from Amazon's business ids, which is what makes retries idempotent. */
export const entryWorkflowId = (authEventId: string): string => `entry-${authEventId}`;
export const purchaseWorkflowId = (tripId: string): string => `purchase-${tripId}`;
export const catalogUploadWorkflowId = (uploadId: string): string => `catalog-upload-${uploadId}`;

/** Catalog calls go on their own queue so that its workers can be rate-limited to Amazon's 10 requests/s in total. */
export const catalogTaskQueue = (mainTaskQueue: string): string => `${mainTaskQueue}-catalog`;
