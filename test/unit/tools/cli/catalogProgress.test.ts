/** The text progress bar of `jwo catalog upload`. */
import { progressLine } from '../../../../src/tools/cli/catalogProgress';
import { countChunks, type CatalogUploadProgress, type ChunkProgress } from '../../../../src/shared/catalogMessages';

function progress(
  states: ChunkProgress['state'][],
  phase: CatalogUploadProgress['phase'] = 'UPLOADING',
): CatalogUploadProgress {
  const chunks = states.map((state, chunkNo): ChunkProgress => ({
    chunkNo,
    itemCount: 10,
    state,
    ingestionId: state === 'PENDING' ? null : `ing-${chunkNo}`,
    processingStatus: null,
    error: null,
  }));
  return {
    uploadId: 'u',
    storeId: 's',
    phase,
    items: { toSend: 10 * states.length, invalid: 0 },
    counts: countChunks(chunks),
    chunks,
    summary: null,
  };
}

describe('progressLine', () => {
  test('when half of the chunks have finished, then half the bar is filled and each count is shown', () => {
    expect(progressLine(progress(['DONE', 'FAILED', 'PROCESSING', 'PENDING']))).toBe(
      `[${'#'.repeat(15)}${'-'.repeat(15)}] 2/4 chunks finished · sent 3 · processing 1 · done 1 · failed 1`,
    );
  });

  test('when the upload is still being prepared, then it says so instead of an empty bar', () => {
    expect(progressLine(progress([], 'PREPARING'))).toBe('preparing: validating and chunking the catalog…');
  });

  test('when there was nothing to send, then the bar is full', () => {
    expect(progressLine(progress([], 'FINISHED'))).toBe(
      `[${'#'.repeat(30)}] 0/0 chunks finished · sent 0 · processing 0 · done 0 · failed 0`,
    );
  });
});
