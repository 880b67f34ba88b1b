/**
 * `jwo catalog import|upload|report|sync|archive-list|schedule|sync-settings`: the retailer's
 * catalog, through the running connector's operator API. Exit codes: 0 all good, 2 something was refused (rejected rows, failed items),
 * 1 the command itself failed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { CatalogUploadProgress, CatalogUploadSummary } from '../../shared/catalogMessages';
import type { RejectedRow } from '../../domain/catalog/import';
import type { CatalogSyncRecord } from '../../shared/catalogSyncMessages';
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

const isUrl = (source: string) => /^https?:\/\//i.test(source);

function formatOfFile(file: string, given: string | undefined): 'csv' | 'json' {
  const format = (given ?? extname(file).slice(1)).toLowerCase();
  if (format !== 'csv' && format !== 'json') {
    throw new OpsError(`cannot tell the format of ${file}: name it .csv or .json, or pass --format csv|json`);
  }
  return format;
}

interface SyncStatusAnswer {
  workflowStatus: string | null;
  sync: CatalogSyncRecord;
}

interface DeltaRow {
  sku: string;
  change: string;
  fields: string[] | null;
}

/**
 * `jwo catalog sync --store <id> <file-or-url>`: sends Amazon only what changed since what it
 * accepted (new SKUs, changed relevant fields, failed last time) and prints the summary. Exit 2
 * when rows were rejected or items failed.
 */
export async function catalogSync(
  ops: OpsClient,
  io: CommandIo,
  fileOrUrl: string,
  options: { store: string; dryRun?: boolean; format?: string; json?: boolean; pollIntervalMs?: number },
): Promise<number> {
  const body = isUrl(fileOrUrl)
    ? { storeId: options.store, source: fileOrUrl, dryRun: options.dryRun ?? false }
    : {
        storeId: options.store,
        format: formatOfFile(fileOrUrl, options.format),
        content: await readFile(fileOrUrl, 'utf8'),
        dryRun: options.dryRun ?? false,
      };
  const started: { syncId: string } = await ops.post('/ops/v1/catalog/syncs', body);
  const path = `/ops/v1/catalog/syncs/${encodeURIComponent(started.syncId)}`;
  let status: SyncStatusAnswer;
  let shownPhase = '';
  for (;;) {
    status = await ops.get(path);
    if (status.sync.status !== 'RUNNING') break;
    if (status.workflowStatus !== null && status.workflowStatus !== 'RUNNING') {
      throw new OpsError(
        `catalog sync ${started.syncId} ended ${status.workflowStatus}: see workflow ${status.sync.workflowId} in the Temporal UI`,
      );
    }
    const phase = status.sync.uploadId ? `sending ${status.sync.counts?.toSend ?? 0} items` : 'comparing';
    if (phase !== shownPhase) io.err(`Sync ${started.syncId}: ${phase}…\n`);
    shownPhase = phase;
    await sleep(options.pollIntervalMs ?? 1_000);
  }
  const { sync } = status;
  const delta: { items: DeltaRow[] } | null = options.dryRun ? await ops.get(`${path}/delta`) : null;
  if (options.json) {
    io.out(`${JSON.stringify(delta ? { ...sync, delta: delta.items } : sync)}\n`);
  } else {
    printSync(io, sync, delta?.items ?? null);
  }
  if (sync.status === 'FAILED') return 1;
  return sync.rejected.length > 0 || sync.status === 'COMPLETED_WITH_FAILURES' ? EXIT_REFUSED : 0;
}

function printSync(io: CommandIo, sync: CatalogSyncRecord, delta: DeltaRow[] | null): void {
  if (sync.error) io.out(`Sync ${sync.syncId} of store ${sync.storeId} FAILED: ${sync.error}\n`);
  const counts = sync.counts;
  if (counts) {
    io.out(
      `Sync ${sync.syncId} of store ${sync.storeId}${sync.dryRun ? ' (dry run, nothing sent)' : ''}: ` +
        `${counts.unchanged} unchanged, ${counts.new} new, ${counts.changed} changed, ${counts.retried} retried, ` +
        `${counts.removed} removed from the source, ${counts.rejected} rows rejected.\n`,
    );
  }
  if (!sync.dryRun && counts) {
    const summary = sync.uploadSummary;
    io.out(
      summary
        ? `Sent ${sync.sent} items in upload ${summary.uploadId}: ${summary.items.succeeded} succeeded, ${summary.items.failed} failed, ${summary.items.invalid} invalid, ${summary.items.unknown} not in the report.\n`
        : 'Sent 0 items: Amazon already holds this catalog.\n',
    );
    if (summary && summary.items.failed + summary.items.unknown > 0)
      io.out('The items that failed are sent again by the next sync (jwo catalog report shows why they failed).\n');
  }
  for (const row of sync.rejected)
    io.out(`  line ${row.line}${row.sku ? ` (${row.sku})` : ''}: ${row.problems.join('; ')}\n`);
  if (delta) {
    for (const row of delta)
      io.out(`  ${row.change.padEnd(7)} ${row.sku}${row.fields?.length ? ` (${row.fields.join(', ')})` : ''}\n`);
  }
  if (counts && counts.removed > 0 && !sync.dryRun) {
    io.out(
      `${counts.removed} SKUs left the source: archive them in the Merchant Portal with the file of ` +
        `jwo catalog archive-list --store ${sync.storeId} --format csv\n`,
    );
  }
}

interface ArchiveRow {
  sku: string;
  itemName: string | null;
}

/** CSV quoting for the Merchant Portal template: quote when needed, double the quotes. */
const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * `jwo catalog archive-list --store <id> --format csv`: the SKUs that left the source, as rows of
 * the Merchant Portal's catalog template (item_sku, operation = Archive). They then leave the
 * baseline, unless --keep.
 */
export async function catalogArchiveList(
  ops: OpsClient,
  io: CommandIo,
  options: { store: string; format?: string; out?: string; keep?: boolean },
): Promise<number> {
  const format = (options.format ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new OpsError('--format must be csv or json');
  const result: { items: ArchiveRow[] } = await ops.post(
    `/ops/v1/catalog/stores/${encodeURIComponent(options.store)}/archive-list`,
    { markArchived: !options.keep },
  );
  const text =
    format === 'csv'
      ? ['item_sku,operation', ...result.items.map((row) => `${csvCell(row.sku)},Archive`)].join('\r\n') + '\r\n'
      : `${JSON.stringify(result.items.map((row) => ({ item_sku: row.sku, operation: 'Archive' })))}\n`;
  if (options.out) {
    await writeFile(options.out, text);
    io.err(`${result.items.length} SKUs to archive written to ${options.out}\n`);
  } else {
    io.out(text);
  }
  return 0;
}

interface ScheduleView {
  storeId: string;
  scheduleId: string;
  source: string;
  cron: string;
  paused: boolean;
  nextRuns: string[];
  skippedOverlapping: number;
}

const scheduleLine = (view: ScheduleView) =>
  `${view.scheduleId}  ${view.paused ? 'PAUSED' : 'ACTIVE'}  "${view.cron}"  ${view.source}` +
  `${view.nextRuns[0] && !view.paused ? `  next ${view.nextRuns[0]}` : ''}` +
  `${view.skippedOverlapping ? `  (${view.skippedOverlapping} runs skipped: the previous one was still going)` : ''}\n`;

/** `jwo catalog schedule`: create (or change) a store's sync schedule, or list, pause, resume, delete. */
export async function catalogSchedule(
  ops: OpsClient,
  io: CommandIo,
  options: {
    store?: string;
    source?: string;
    cron?: string;
    list?: boolean;
    pause?: boolean;
    unpause?: boolean;
    delete?: boolean;
    json?: boolean;
  },
): Promise<number> {
  const print = (value: unknown, line: string) => io.out(options.json ? `${JSON.stringify(value)}\n` : line);
  if (options.list) {
    const { schedules }: { schedules: ScheduleView[] } = await ops.get('/ops/v1/catalog/schedules');
    print(schedules, schedules.length ? schedules.map(scheduleLine).join('') : 'No catalog sync schedules.\n');
    return 0;
  }
  if (!options.store) throw new OpsError('--store is required (except with --list)');
  const store = encodeURIComponent(options.store);
  const action = options.pause ? 'pause' : options.unpause ? 'unpause' : options.delete ? 'delete' : null;
  if (action === 'delete') {
    const result = await ops.post(`/ops/v1/catalog/schedules/${store}/delete`);
    print(result, `Deleted the catalog sync schedule of store ${options.store}.\n`);
    return 0;
  }
  if (action) {
    const view: ScheduleView = await ops.post(`/ops/v1/catalog/schedules/${store}/${action}`);
    print(view, scheduleLine(view));
    return 0;
  }
  if (!options.source || !options.cron)
    throw new OpsError('give --source <file-or-url> and --cron "<expr>" (or --list, --pause, --unpause, --delete)');
  // The worker reads the file: a relative path would be relative to wherever the worker runs.
  const source = isUrl(options.source) ? options.source : resolve(options.source);
  const view: ScheduleView = await ops.post('/ops/v1/catalog/schedules', {
    storeId: options.store,
    source,
    cron: options.cron,
  });
  print(view, scheduleLine(view));
  return 0;
}

/** `jwo catalog sync-settings`: which fields make a SKU worth sending again, per store. */
export async function catalogSyncSettings(
  ops: OpsClient,
  io: CommandIo,
  options: { store: string; fields?: string; priceOnReceipts?: boolean },
): Promise<number> {
  const path = `/ops/v1/catalog/stores/${encodeURIComponent(options.store)}/sync-settings`;
  const change = {
    ...(options.fields ? { fields: options.fields.split(',').map((field) => field.trim()) } : {}),
    ...(options.priceOnReceipts === undefined ? {} : { priceOnReceipts: options.priceOnReceipts }),
  };
  const settings: { effective: string[]; priceOnReceipts: boolean } =
    Object.keys(change).length > 0 ? await ops.post(path, change) : await ops.get(path);
  io.out(
    `Store ${options.store}: a change of ${settings.effective.join(', ')} is sent to Amazon` +
      `${settings.priceOnReceipts ? " (prices: Amazon's receipts show them)" : ''}.\n`,
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
  catalog
    .command('sync <fileOrUrl>')
    .description(
      'send Amazon only what changed since it last accepted the catalog: new SKUs, changed relevant fields, items that failed (exit code 2 if rows were rejected or items failed)',
    )
    .requiredOption('--store <id>', 'store id')
    .option('--dry-run', 'print the delta, send nothing')
    .option('--format <format>', 'csv or json (default: from the file name)')
    .option('--json', 'print JSON')
    .action(async (fileOrUrl: string, options: { store: string; dryRun?: boolean; format?: string; json?: boolean }) =>
      exitWith(await catalogSync(opsClient(), processIo, fileOrUrl, options)),
    );
  catalog
    .command('archive-list')
    .description(
      'the SKUs that left the source, as Merchant Portal catalog template rows (item_sku, operation = Archive); they then leave the baseline',
    )
    .requiredOption('--store <id>', 'store id')
    .option('--format <format>', 'csv (the template) or json', 'csv')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--keep', 'list only: keep the SKUs in the baseline (nothing is being archived yet)')
    .action(async (options: { store: string; format?: string; out?: string; keep?: boolean }) =>
      exitWith(await catalogArchiveList(opsClient(), processIo, options)),
    );
  catalog
    .command('schedule')
    .description(
      "run the store's sync on a Temporal Schedule (catalog-sync-<storeId>; a run is skipped while the previous one still runs)",
    )
    .option('--store <id>', 'store id')
    .option('--source <fileOrUrl>', 'an http(s) URL, or a file the worker can read')
    .option('--cron <expr>', 'when, in UTC, e.g. "0 5 * * *" for 05:00 every day')
    .option('--list', 'list the schedules')
    .option('--pause', "pause the store's schedule")
    .option('--unpause', "resume the store's schedule")
    .option('--delete', "delete the store's schedule")
    .option('--json', 'print JSON')
    .action(async (options: Parameters<typeof catalogSchedule>[2]) =>
      exitWith(await catalogSchedule(opsClient(), processIo, options)),
    );
  catalog
    .command('sync-settings')
    .description('show or set which fields make a SKU worth sending again')
    .requiredOption('--store <id>', 'store id')
    .option('--fields <list>', 'comma-separated: sku, barcodes, name, brand, category, subcategory, price, tax_code')
    .option('--price-on-receipts', "Amazon's receipts show this store's prices: send price changes")
    .option('--no-price-on-receipts', 'do not send price changes alone')
    .action(async (options: { store: string; fields?: string; priceOnReceipts?: boolean }) =>
      exitWith(await catalogSyncSettings(opsClient(), processIo, options)),
    );
}
