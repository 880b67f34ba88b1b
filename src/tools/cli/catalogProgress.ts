/** One line of text showing where a catalog upload is, for the progress bar of `jwo catalog upload`. */
import type { CatalogUploadProgress, CatalogUploadSummary } from '../../shared/catalogMessages';

const BAR_WIDTH = 30;

export function progressLine(progress: CatalogUploadProgress): string {
  if (progress.phase === 'PREPARING') return 'preparing: validating and chunking the catalog…';
  const { total, sent, processing, done, failed } = progress.counts;
  const finished = done + failed;
  const filled = total === 0 ? BAR_WIDTH : Math.round((finished / total) * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  return `${bar} ${finished}/${total} chunks finished · sent ${sent} · processing ${processing} · done ${done} · failed ${failed}`;
}

export function summaryLine(summary: CatalogUploadSummary): string {
  const { items, chunks } = summary;
  return (
    `Upload ${summary.uploadId} (store ${summary.storeId}): ${summary.status}. ` +
    `${items.total} items: ${items.succeeded} succeeded, ${items.failed} failed, ${items.invalid} invalid, ${items.unknown} not in the report; ` +
    `${chunks.total} requests: ${chunks.done} done, ${chunks.failed} failed.`
  );
}
