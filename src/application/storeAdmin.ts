/**
 * Opening and running stores without SQL: stores, their tax rates and promotions. Every change is
 * checked (each bad field named), recorded in the audit log in the same transaction, and announced
 * through `onStoreChanged` so the caller can drop what it cached about the store.
 * The demo seed goes through these same functions.
 */
import type { Database, Queryable } from '../adapters/db/database';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import { findStore, listStores, upsertStore } from '../adapters/identity/identityStore';
import {
  findPromotion,
  knownSkus,
  listPromotions,
  listTaxRates,
  upsertPromotion,
  upsertTaxRate,
  type ScheduledTaxRate,
} from '../adapters/catalog/catalogStore';
import type { Store } from '../domain/identity';
import { currencyExponent } from '../domain/money';
import type { Promotion } from '../domain/pricing';
import { parseIsoInstant } from '../domain/pricing/isoInstant';
import {
  definitionProblems,
  neverAppliesBecause,
  parsePromotionFile,
  PromotionFileError,
  promotionState,
} from '../domain/promotionFile';
import { storeSettingsProblems } from '../domain/storeSettings';
import { InvalidRequest, NotFound, StateConflict } from './errors';

export interface StoreAdminDeps {
  db: Database;
  /** Called after a committed change to a store's settings (the gate's store cache drops it). */
  onStoreChanged?: (storeId: string) => void;
  now?: () => Date;
}

export type { Actor };

export interface NewStore {
  storeId: string;
  retailerId: string;
  name: string;
  timeZone?: string;
  currency: string;
  currencyExponent?: number;
  taxInclusive: boolean;
  preauthAmountMinor: number;
  badCartDeadline?: string | null;
  badCartDefaultDecision?: 'CHARGE_KNOWN' | 'WRITE_OFF' | null;
  scanKeyPrefix?: string | null;
  /** Default false: a new store is opened to shoppers by an update once it is set up. */
  live?: boolean;
}

export type StoreChanges = Partial<Omit<NewStore, 'storeId'>>;

/** A store as the admin API shows it: every setting explicit, the currency's exponent included. */
export interface StoreView extends Required<
  Omit<Store, 'badCartDeadline' | 'badCartDefaultDecision' | 'scanKeyPrefix'>
> {
  currencyExponent: number;
  badCartDeadline: string | null;
  badCartDefaultDecision: 'CHARGE_KNOWN' | 'WRITE_OFF' | null;
  scanKeyPrefix: string | null;
}

export function storeView(store: Store): StoreView {
  return {
    storeId: store.storeId,
    retailerId: store.retailerId,
    name: store.name,
    timeZone: store.timeZone ?? 'UTC',
    currency: store.currency,
    currencyExponent: currencyExponent(store.currency),
    taxInclusive: store.taxInclusive,
    preauthAmountMinor: store.preauthAmountMinor,
    badCartDeadline: store.badCartDeadline ?? null,
    badCartDefaultDecision: store.badCartDefaultDecision ?? null,
    scanKeyPrefix: store.scanKeyPrefix ?? null,
    live: store.live ?? true,
  };
}

function refuseBadSettings(input: StoreChanges): void {
  const problems = storeSettingsProblems(input);
  if (problems.length) throw new InvalidRequest(problems);
}

async function existing(db: Queryable, storeId: string): Promise<Store> {
  const store = await findStore(db, storeId);
  if (!store) throw new NotFound(`no store ${storeId}`);
  return store;
}

export async function createStore(deps: StoreAdminDeps, actor: Actor, input: NewStore): Promise<StoreView> {
  refuseBadSettings(input);
  const { currencyExponent: _exponent, ...settings } = input;
  const store: Store = { ...settings, timeZone: input.timeZone ?? 'UTC', live: input.live ?? false };
  await deps.db.transaction(async (tx) => {
    if (await findStore(tx, input.storeId)) throw new StateConflict(`store ${input.storeId} already exists: update it`);
    await upsertStore(tx, store);
    await recordAudit(tx, {
      actor,
      action: 'store.create',
      subject: { type: 'store', id: store.storeId },
      details: { ...store },
    });
  });
  deps.onStoreChanged?.(store.storeId);
  return storeView((await findStore(deps.db, store.storeId))!);
}

export async function updateStore(
  deps: StoreAdminDeps,
  actor: Actor,
  storeId: string,
  changes: StoreChanges,
): Promise<StoreView> {
  if (Object.keys(changes).length === 0)
    throw new InvalidRequest([{ field: 'body', reason: 'names no setting to change' }]);
  const current = await existing(deps.db, storeId);
  refuseBadSettings({ currency: current.currency, ...changes });
  if (changes.currency !== undefined && changes.currency !== current.currency) {
    // Prices, promotions and debts are in minor units of the store's currency: changing it would reprice them silently.
    const [{ n }] = await deps.db.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM catalog_items WHERE store_id = $1) + (SELECT count(*) FROM purchases WHERE store_id = $1) AS n',
      [storeId],
    );
    if (Number(n) > 0)
      throw new InvalidRequest([
        {
          field: 'currency',
          reason: 'cannot change once the store has a catalog or purchases (amounts are kept in its minor units)',
        },
      ]);
  }
  const { currencyExponent: _exponent, ...settings } = changes;
  const before = storeView(current);
  await deps.db.transaction(async (tx) => {
    await upsertStore(tx, { ...current, ...settings });
    const changed = Object.fromEntries(
      Object.entries(settings).filter(([key, value]) => (before as unknown as Record<string, unknown>)[key] !== value),
    );
    await recordAudit(tx, {
      actor,
      action: 'store.update',
      subject: { type: 'store', id: storeId },
      details: {
        changed,
        before: Object.fromEntries(
          Object.keys(changed).map((k) => [k, (before as unknown as Record<string, unknown>)[k]]),
        ),
      },
    });
  });
  deps.onStoreChanged?.(storeId);
  return storeView(await existing(deps.db, storeId));
}

export async function showStore(db: Queryable, storeId: string): Promise<StoreView> {
  return storeView(await existing(db, storeId));
}

export async function listStoreViews(db: Queryable): Promise<StoreView[]> {
  return (await listStores(db)).map(storeView);
}

// ---------------------------------------------------------------------------------------------- taxes

export interface TaxRateInput {
  taxCode: string;
  rateBasisPoints: number;
  name?: string;
  effectiveFrom?: string;
  effectiveUntil?: string;
}

export async function setTaxRate(
  deps: StoreAdminDeps,
  actor: Actor,
  storeId: string,
  rate: TaxRateInput,
): Promise<ScheduledTaxRate[]> {
  await existing(deps.db, storeId);
  const problems = [];
  if (!Number.isSafeInteger(rate.rateBasisPoints) || rate.rateBasisPoints < 0 || rate.rateBasisPoints > 10_000)
    problems.push({
      field: 'rateBasisPoints',
      reason: 'must be a whole number of basis points from 0 to 10000 (0-100%)',
    });
  const from = rate.effectiveFrom === undefined ? undefined : parseIsoInstant(rate.effectiveFrom);
  const until = rate.effectiveUntil === undefined ? undefined : parseIsoInstant(rate.effectiveUntil);
  if (rate.effectiveFrom !== undefined && from === undefined)
    problems.push({ field: 'effectiveFrom', reason: 'must be an ISO-8601 instant with an offset' });
  if (rate.effectiveUntil !== undefined && until === undefined)
    problems.push({ field: 'effectiveUntil', reason: 'must be an ISO-8601 instant with an offset' });
  if (from !== undefined && until !== undefined && until <= from)
    problems.push({ field: 'effectiveUntil', reason: 'must be after effectiveFrom' });
  if (problems.length) throw new InvalidRequest(problems);
  await deps.db.transaction(async (tx) => {
    await upsertTaxRate(tx, storeId, { ...rate, effectiveUntil: rate.effectiveUntil ?? null });
    await recordAudit(tx, { actor, action: 'tax.set', subject: { type: 'store', id: storeId }, details: { ...rate } });
  });
  return (await listTaxRates(deps.db, storeId)).filter((r) => r.taxCode === rate.taxCode);
}

export async function storeTaxRates(db: Queryable, storeId: string): Promise<ScheduledTaxRate[]> {
  await existing(db, storeId);
  return listTaxRates(db, storeId);
}

// ----------------------------------------------------------------------------------------- promotions

export interface PromotionView {
  promotion: Promotion;
  state: 'SCHEDULED' | 'ACTIVE' | 'ENDED';
}

export async function storePromotions(db: Queryable, storeId: string, now = new Date()): Promise<PromotionView[]> {
  await existing(db, storeId);
  return (await listPromotions(db, storeId)).map((promotion) => ({ promotion, state: promotionState(promotion, now) }));
}

/** The reasons the promotion cannot be added to this store, with the SKUs it names that the catalog lacks. */
async function promotionProblems(
  db: Queryable,
  storeId: string,
  promotion: Promotion,
  now: Date,
): Promise<{ problems: string[]; missingSkus: string[] }> {
  const own = definitionProblems(promotion);
  if (own.length) return { problems: own, missingSkus: [] };
  const skus = 'skus' in promotion ? promotion.skus : [];
  return neverAppliesBecause(promotion, now, await knownSkus(db, storeId, skus));
}

const same = (a: Promotion, b: Promotion) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (p: Promotion) => Object.fromEntries(Object.entries(p).sort(([x], [y]) => (x < y ? -1 : 1)));

export async function addPromotion(
  deps: StoreAdminDeps,
  actor: Actor,
  storeId: string,
  promotion: Promotion,
): Promise<{ promotion: Promotion; state: PromotionView['state']; missingSkus: string[] }> {
  const now = deps.now?.() ?? new Date();
  await existing(deps.db, storeId);
  const { problems, missingSkus } = await promotionProblems(deps.db, storeId, promotion, now);
  if (problems.length) throw new InvalidRequest(problems.map((reason) => ({ field: 'promotion', reason })));
  await deps.db.transaction(async (tx) => {
    const found = await findPromotion(tx, storeId, promotion.id);
    if (found && !same(found, promotion))
      throw new StateConflict(
        `promotion ${promotion.id} already exists with another definition: receipts name it, so end it and add a new id`,
      );
    if (found) return;
    await upsertPromotion(tx, storeId, promotion);
    await recordAudit(tx, {
      actor,
      action: 'promotion.add',
      subject: { type: 'store', id: storeId },
      details: { promotion },
    });
  });
  return { promotion, state: promotionState(promotion, now), missingSkus };
}

export interface PromotionImportResult {
  imported: number;
  unchanged: number;
  rejected: { line: number; id: string | null; problems: string[] }[];
  warnings: { line: number; id: string; missingSkus: string[] }[];
}

/** Imports a POS export: valid rows are added (one transaction, one audit entry), each refused row is reported with its reasons. */
export async function importPromotions(
  deps: StoreAdminDeps,
  actor: Actor,
  storeId: string,
  file: { format: 'json' | 'csv'; content: string },
): Promise<PromotionImportResult> {
  const now = deps.now?.() ?? new Date();
  const store = await existing(deps.db, storeId);
  let rows;
  try {
    rows = parsePromotionFile(file.content, file.format, store.currency);
  } catch (err) {
    if (err instanceof PromotionFileError) throw new InvalidRequest([{ field: 'content', reason: err.message }]);
    throw err;
  }
  const result: PromotionImportResult = { imported: 0, unchanged: 0, rejected: [], warnings: [] };
  const seen = new Set<string>();
  const accepted: Promotion[] = [];
  for (const row of rows) {
    const problems = [...row.problems];
    let missingSkus: string[] = [];
    if (row.promotion && problems.length === 0) {
      const checked = await promotionProblems(deps.db, storeId, row.promotion, now);
      problems.push(...checked.problems);
      missingSkus = checked.missingSkus;
      if (seen.has(row.promotion.id)) problems.push(`id ${row.promotion.id} appears twice in the file`);
    }
    if (problems.length || !row.promotion) {
      result.rejected.push({ line: row.line, id: row.id, problems });
      continue;
    }
    seen.add(row.promotion.id);
    if (missingSkus.length) result.warnings.push({ line: row.line, id: row.promotion.id, missingSkus });
    accepted.push(row.promotion);
  }
  await deps.db.transaction(async (tx) => {
    const added: string[] = [];
    for (const promotion of accepted) {
      const found = await findPromotion(tx, storeId, promotion.id);
      if (found && same(found, promotion)) {
        result.unchanged += 1;
        continue;
      }
      if (found) {
        const line = rows.find((r) => r.promotion === promotion)?.line ?? 0;
        result.rejected.push({
          line,
          id: promotion.id,
          problems: ['already exists with another definition: end it and import the change under a new id'],
        });
        continue;
      }
      await upsertPromotion(tx, storeId, promotion);
      added.push(promotion.id);
    }
    result.imported = added.length;
    if (added.length)
      await recordAudit(tx, {
        actor,
        action: 'promotion.import',
        subject: { type: 'store', id: storeId },
        details: { format: file.format, added, rejected: result.rejected.length },
      });
  });
  result.rejected.sort((a, b) => a.line - b.line);
  return result;
}

/** Ends a promotion now (its definition's endsAt): trips ending from now on no longer get it; receipts already made keep naming it. */
export async function endPromotion(
  deps: StoreAdminDeps,
  actor: Actor,
  storeId: string,
  promotionId: string,
): Promise<Promotion> {
  const now = deps.now?.() ?? new Date();
  await existing(deps.db, storeId);
  return deps.db.transaction(async (tx) => {
    const promotion = await findPromotion(tx, storeId, promotionId);
    if (!promotion) throw new NotFound(`store ${storeId} has no promotion ${promotionId}`);
    if (promotionState(promotion, now) === 'ENDED')
      throw new StateConflict(`promotion ${promotionId} already ended at ${promotion.endsAt}`);
    const ended: Promotion = { ...promotion, endsAt: now.toISOString() };
    // A promotion that has not started yet ends before it starts: it never applies, as asked.
    if (promotion.startsAt !== undefined && parseIsoInstant(promotion.startsAt)! >= BigInt(now.getTime()) * 1_000_000n)
      ended.startsAt = new Date(now.getTime() - 1).toISOString();
    await upsertPromotion(tx, storeId, ended);
    await recordAudit(tx, {
      actor,
      action: 'promotion.end',
      subject: { type: 'store', id: storeId },
      details: { promotionId, endsAt: ended.endsAt, previousEndsAt: promotion.endsAt ?? null },
    });
    return ended;
  });
}
