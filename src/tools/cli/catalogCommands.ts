/**
 * `jwo catalog import|upload|report`: the retailer's catalog, through the running connector's
 * operator API. Exit codes: 0 all good, 2 something was refused (rejected rows, failed items),
 * 1 the command itself failed.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { CatalogUploadProgress, CatalogUploadSummary } from '../../shared/catalogMessages';
import type { RejectedRow } from '../../domain/catalog/import';
import { progressLine, summaryLine } from './catalogProgress';
import { OpsError, opsClient, type OpsClient } from './opsClient';

export const EXIT_REFUSED = 2;

/** Where a command writes; tests pass their own. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal: the progress bar redraws one line there, elsewhere it prints a line per change. */
  errIsTerminal: boolean;
}

const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTerminal: Boolean(process.stderr.isTTY),
};

export async function catalogImport(
  ops: OpsClient,
  io: CommandIo,
  file: string,
  options: { store: string; format?: string; json?: boolean },
): Promise<number> {
  const format = (options.format ?? extname(file).slice(1)).toLowerCase();
  if (format !== 'csv' && format !== 'json') {
    throw new OpsError(`cannot tell the format of ${file}: name it .csv or .json, or pass --format csv|json`);
  }
  const content = await readFile(file, 'utf8');
  const result: { imported: number; rejected: RejectedRow[] } = await ops.post('/ops/v1/catalog/imports', {
    storeId: options.store,
    format,
    content,
  });
  if (options.json) {
    io.out(`${JSON.stringify(result)}\n`);
  } else {
    io.out(`Imported ${result.imported} items into store ${options.store}.\n`);
    if (result.rejected.length > 0) {
      io.out(`${result.rejected.length} rows rejected:\n`);
      for (const row of result.rejected)
        io.out(`  line ${row.line}${row.sku ? ` (${row.sku})` : ''}: ${row.problems.join('; ')}\n`);
    }
  }
  return result.rejected.length > 0 ? EXIT_REFUSED : 0;
}

interface UploadStatus {
  workflowStatus: string;
  progress: CatalogUploadProgress;
}

export async function catalogUpload(
  ops: OpsClient,
  io: CommandIo,
  options: { store: string; wait: boolean; retryFailed?: string; pollIntervalMs?: number },
): Promise<number> {
  const started: { uploadId: string } = await ops.post('/ops/v1/catalog/uploads', {
    storeId: options.store,
    retryFailedOf: options.retryFailed,
  });
  io.out(`${started.uploadId}\n`);
  if (!options.wait) return 0;

  let shown = '';
  for (;;) {
    const status: UploadStatus = await ops.get(`/ops/v1/catalog/uploads/${encodeURIComponent(started.uploadId)}`);
    const line = progressLine(status.progress);
    if (io.errIsTerminal) io.err(`\r${line}\x1b[K`);
    else if (line !== shown) io.err(`${line}\n`);
    shown = line;
    if (status.workflowStatus !== 'RUNNING') return finish(io, started.uploadId, status, options.store);
    await sleep(options.pollIntervalMs ?? 1_000);
  }
}

function finish(io: CommandIo, uploadId: string, status: UploadStatus, storeId: string): number {
  if (io.errIsTerminal) io.err('\n');
  const summary: CatalogUploadSummary | null = status.progress.summary;
  if (status.workflowStatus !== 'COMPLETED' || !summary) {
    throw new OpsError(
      `catalog upload ${uploadId} ended ${status.workflowStatus}: see workflow catalog-upload-${uploadId} in the Temporal UI`,
    );
  }
  io.err(`${summaryLine(summary)}\n`);
  if (summary.items.failed > 0)
    io.err(`Re-send the failed items with: jwo catalog upload --store ${storeId} --retry-failed ${uploadId}\n`);
  return summary.status === 'COMPLETED' ? 0 : EXIT_REFUSED;
}

interface ReportItem {
  sku: string;
  status: string;
  errors: string[];
  chunkNo: number | null;
  ingestionId: string | null;
}

export async function catalogReport(
  ops: OpsClient,
  io: CommandIo,
  uploadId: string,
  options: { status?: string; json?: boolean },
): Promise<number> {
  const query = options.status ? `?status=${encodeURIComponent(options.status)}` : '';
  const report: { status: string; summary: CatalogUploadSummary | null; items: ReportItem[] } = await ops.get(
    `/ops/v1/catalog/uploads/${encodeURIComponent(uploadId)}/report${query}`,
  );
  if (options.json) {
    io.out(`${JSON.stringify(report)}\n`);
    return 0;
  }
  io.out(
    report.summary ? `${summaryLine(report.summary)}\n` : `Upload ${uploadId} is ${report.status}: results so far.\n`,
  );
  const rows = [
    ['SKU', 'STATUS', 'REQUEST', 'ERRORS'],
    ...report.items.map((item) => [
      item.sku,
      item.status,
      item.chunkNo === null ? '-' : String(item.chunkNo + 1),
      item.errors.join('; '),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    io.out(
      `${row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()}\n`,
    );
  return 0;
}

export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command('catalog')
    .description("the store's catalog: import it, upload it to Amazon, read the results");
  const exitWith = (code: number) => {
    process.exitCode = code;
  };
  catalog
    .command('import <file>')
    .description('validate a .csv or .json catalog file and store its good rows (exit code 2 if rows were rejected)')
    .requiredOption('--store <id>', 'store id')
    .option('--format <format>', 'csv or json (default: from the file name)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { store: string; format?: string; json?: boolean }) =>
      exitWith(await catalogImport(opsClient(), processIo, file, options)),
    );
  catalog
    .command('upload')
    .description(
      "upload the store's catalog to Amazon and follow it to the result report (exit code 2 if items failed)",
    )
    .requiredOption('--store <id>', 'store id')
    .option('--no-wait', 'print the upload id and return at once')
    .option('--retry-failed <uploadId>', 're-send only the items that failed in that upload')
    .action(async (options: { store: string; wait: boolean; retryFailed?: string }) =>
      exitWith(await catalogUpload(opsClient(), processIo, options)),
    );
  catalog
    .command('report <uploadId>')
    .description("an upload's per-item results")
    .option('--status <status>', 'only items with this status: SUCCESS, FAILED, INVALID, UNKNOWN or PENDING')
    .option('--json', 'print JSON')
    .action(async (uploadId: string, options: { status?: string; json?: boolean }) =>
      exitWith(await catalogReport(opsClient(), processIo, uploadId, options)),
    );
}
