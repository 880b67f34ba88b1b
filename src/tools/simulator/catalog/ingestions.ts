/**
 * Accepted uploads and where each one is in Amazon's processing. The status is derived from the
 * clock rather than pushed by timers, so a test that moves `now` sees the ingestion move too:
 * INQUEUE for `inqueueMs`, then INPROGRESS for `inprogressMs`, then DONE (or the FATAL/CANCELLED
 * a test asked for through the faults).
 */
import { randomUUID } from 'node:crypto';
import type { AcceptedItem } from './uploadValidation';

export type ProcessingStatus = 'DONE' | 'INQUEUE' | 'INPROGRESS' | 'CANCELLED' | 'FATAL';
export type FinalStatusOverride = 'FATAL' | 'CANCELLED';

export interface Ingestion {
  ingestionId: string;
  retailerId: string;
  acceptedAt: number;
  items: AcceptedItem[];
}

export interface ProcessingTimes {
  inqueueMs: number;
  inprogressMs: number;
}

export interface ReportLine {
  item_sku: string;
  status: 'SUCCESS' | 'FAILED';
  errors: string[];
}

export class IngestionStore {
  private readonly byId = new Map<string, Ingestion>();

  constructor(
    private readonly times: ProcessingTimes,
    private readonly overrides: ReadonlyMap<string, FinalStatusOverride>,
  ) {}

  add(items: AcceptedItem[], retailerId: string, acceptedAt: number): Ingestion {
    const ingestion = { ingestionId: randomUUID(), retailerId, acceptedAt, items };
    this.byId.set(ingestion.ingestionId, ingestion);
    return ingestion;
  }

  get(ingestionId: string): Ingestion | undefined {
    return this.byId.get(ingestionId);
  }

  all(): Ingestion[] {
    return [...this.byId.values()];
  }

  statusAt(ingestion: Ingestion, now: number): ProcessingStatus {
    const elapsed = now - ingestion.acceptedAt;
    if (elapsed < this.times.inqueueMs) return 'INQUEUE';
    if (elapsed < this.times.inqueueMs + this.times.inprogressMs) return 'INPROGRESS';
    return this.overrides.get(ingestion.ingestionId) ?? 'DONE';
  }
}

export function isFinal(status: ProcessingStatus): boolean {
  return status === 'DONE' || status === 'FATAL' || status === 'CANCELLED';
}

/** Amazon's catalog maintenance page: item names of 1 to 100 characters, no "Type 1 High ASCII" symbols (®, ©, ™ …). */
const MAX_ITEM_NAME_CHARACTERS = 100;
const SYMBOL = /\p{S}/u;
const hasHighAsciiSymbol = (name: string) =>
  [...name].some((character) => character.codePointAt(0)! > 0x7f && SYMBOL.test(character));

/**
 * The report's lines. Test hooks, documented in the README: an item whose item_name contains
 * "FAIL" (upper case) fails, and so does one whose external_product_id is not all digits
 * (UPC, EAN, GTIN and PLU codes are numeric). Item names over 100 characters or with high-ASCII
 * symbols fail as Amazon's catalog pages say they do.
 */
export function reportLines(ingestion: Ingestion): ReportLine[] {
  return ingestion.items.map((item) => {
    const errors: string[] = [];
    if (item.item_name.includes('FAIL')) errors.push('Item rejected by the simulator: item_name contains "FAIL"');
    if ([...item.item_name].length > MAX_ITEM_NAME_CHARACTERS)
      errors.push(`item_name exceeds ${MAX_ITEM_NAME_CHARACTERS} characters`);
    if (hasHighAsciiSymbol(item.item_name)) errors.push('item_name contains unsupported high-ASCII characters');
    if (!/^\d+$/.test(item.external_product_id))
      errors.push(`Invalid external_product_id "${item.external_product_id}": digits only`);
    return { item_sku: item.item_sku, status: errors.length === 0 ? 'SUCCESS' : 'FAILED', errors };
  });
}
