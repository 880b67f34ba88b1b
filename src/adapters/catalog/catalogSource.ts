/**
 * Reads a catalog sync's source: an http(s) URL (the retailer's export endpoint) or a file the
 * worker can read. The format comes from the name (.csv, .json), else the content type, else the
 * content itself (a JSON file is an array).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

export type CatalogFormat = 'csv' | 'json';

/** A source that is there but cannot be used as it is (404, no such file): retrying will not help. */
export class CatalogSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogSourceError';
  }
}

const FETCH_TIMEOUT_MS = 5 * 60 * 1000;

export const isUrlSource = (source: string): boolean => /^https?:\/\//i.test(source);

function formatOf(name: string, contentType: string | null, content: string): CatalogFormat {
  const extension = extname(name.split(/[?#]/)[0]).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.json') return 'json';
  if (contentType?.includes('json')) return 'json';
  if (contentType?.includes('csv')) return 'csv';
  return content
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('[')
    ? 'json'
    : 'csv';
}

/** Throws CatalogSourceError for a source that cannot be used; other errors (network, 5xx) are worth retrying. */
export async function readCatalogSource(source: string): Promise<{ content: string; format: CatalogFormat }> {
  if (isUrlSource(source)) {
    const response = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    const content = await response.text();
    if (response.status >= 500) throw new Error(`GET ${source} answered ${response.status}`);
    if (!response.ok) throw new CatalogSourceError(`GET ${source} answered ${response.status}`);
    return { content, format: formatOf(new URL(source).pathname, response.headers.get('content-type'), content) };
  }
  let content: string;
  try {
    content = await readFile(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')
      throw new CatalogSourceError(`${source} cannot be read by the worker (${code})`);
    throw error;
  }
  return { content, format: formatOf(source, null, content) };
}
