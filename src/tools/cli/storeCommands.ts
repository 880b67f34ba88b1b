/**
 * `jwo stores`, `jwo taxes`, `jwo promotions` and `jwo shoppers add|show|deactivate`: opening and
 * running a store through the operator API (POST/PATCH /ops/v1/stores, …), never SQL. Amounts are
 * typed in major units of the store's currency (--preauth 50.00) and percentages as percent
 * (--rate 13, --percent 12.5); the commands convert them to the API's minor units and basis points.
 * Each action is a function of an OpsClient and an output, so tests run them against a real connector.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { formatMinor } from '../../domain/money';
import { parsePromotionKind, percentToBasisPoints } from '../../domain/promotionFile';
import { majorToMinor } from '../../domain/storeSettings';
import { opsClient, OpsError, type OpsClient } from './opsClient';

export type Out = (line: string) => void;
const stdout: Out = (line) => process.stdout.write(`${line}\n`);
const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

export interface StoreFlags {
  retailer?: string;
  name?: string;
  timeZone?: string;
  currency?: string;
  taxInclusive?: boolean;
  preauth?: string;
  badCartDeadline?: string;
  badCartDefault?: string;
  scanKeyPrefix?: string;
  live?: boolean;
}

/** "default" resets a per-store override to the deployment's setting (null). */
const orDefault = (value: string | undefined) => (value === 'default' ? null : value);

function storeBody(flags: StoreFlags, currency: string | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (flags.retailer !== undefined) body.retailerId = flags.retailer;
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.timeZone !== undefined) body.timeZone = flags.timeZone;
  if (flags.currency !== undefined) body.currency = flags.currency;
  if (flags.taxInclusive !== undefined) body.taxInclusive = flags.taxInclusive;
  if (flags.preauth !== undefined) body.preauthAmountMinor = amount(flags.preauth, currency, '--preauth');
  if (flags.badCartDeadline !== undefined) body.badCartDeadline = orDefault(flags.badCartDeadline);
  if (flags.badCartDefault !== undefined)
    body.badCartDefaultDecision =
      flags.badCartDefault === 'default' ? null : flags.badCartDefault.toUpperCase().replace(/-/g, '_');
  if (flags.scanKeyPrefix !== undefined) body.scanKeyPrefix = orDefault(flags.scanKeyPrefix);
  if (flags.live !== undefined) body.live = flags.live;
  return body;
}

function amount(text: string, currency: string | undefined, flag: string): number {
  if (!currency) throw new OpsError(`${flag} needs the store's currency (--currency)`);
  let minor: number | null;
  try {
    minor = majorToMinor(text, currency);
  } catch {
    throw new OpsError(`--currency "${currency}" is not an ISO 4217 code`);
  }
  if (minor === null) throw new OpsError(`${flag} "${text}" is not an amount in ${currency} (like 50.00)`);
  return minor;
}

export function storeText(s: any): string {
  const override = (value: string | null) => value ?? '(deployment default)';
  return [
    `Store          ${s.storeId}  ${s.live ? 'LIVE' : 'NOT LIVE (the gate answers it as unknown)'}`,
    `Name           ${s.name}`,
    `Retailer       ${s.retailerId}`,
    `Time zone      ${s.timeZone}`,
    `Currency       ${s.currency} (${s.currencyExponent} decimals), tax ${s.taxInclusive ? 'inclusive' : 'exclusive'}`,
    `Pre-auth       ${formatMinor(s.preauthAmountMinor, s.currency)} ${s.currency}`,
    `Bad carts      deadline ${override(s.badCartDeadline)}, default ${override(s.badCartDefaultDecision)}`,
    `Scan Key       prefix ${override(s.scanKeyPrefix)}`,
  ].join('\n');
}

export async function addStore(ops: OpsClient, out: Out, storeId: string, flags: StoreFlags): Promise<void> {
  const store = await ops.post('/ops/v1/stores', { storeId, ...storeBody(flags, flags.currency) });
  out(storeText(store));
  if (!store.live) out(`\nOpen it to shoppers when it is set up: jwo stores update ${storeId} --live`);
}

export async function updateStore(ops: OpsClient, out: Out, storeId: string, flags: StoreFlags): Promise<void> {
  const currency =
    flags.preauth !== undefined
      ? (flags.currency ?? (await ops.get(`/ops/v1/stores/${path(storeId)}`)).currency)
      : flags.currency;
  out(storeText(await ops.patch(`/ops/v1/stores/${path(storeId)}`, storeBody(flags, currency))));
}

export async function showStore(ops: OpsClient, out: Out, storeId: string): Promise<void> {
  out(storeText(await ops.get(`/ops/v1/stores/${path(storeId)}`)));
}

export async function listStores(ops: OpsClient, out: Out): Promise<void> {
  const stores: any[] = await ops.get('/ops/v1/stores');
  if (stores.length === 0) return out('No stores yet: jwo stores add <storeId> …');
  for (const s of stores)
    out(
      `${s.storeId.padEnd(16)} ${s.currency}  ${s.live ? 'live    ' : 'not live'}  ${s.timeZone.padEnd(20)} ${s.name}`,
    );
}

export interface TaxFlags {
  store: string;
  code: string;
  rate: string;
  name?: string;
  from?: string;
  until?: string;
}

export async function setTax(ops: OpsClient, out: Out, flags: TaxFlags): Promise<void> {
  const rateBasisPoints = percentToBasisPoints(flags.rate);
  if (rateBasisPoints === null)
    throw new OpsError(
      `--rate "${flags.rate}" must be a percentage with at most 2 decimals (rates are kept in basis points, 0.01%)`,
    );
  const rates: any[] = await ops.put(`/ops/v1/stores/${path(flags.store, 'tax-rates', flags.code)}`, {
    rateBasisPoints,
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.from ? { effectiveFrom: flags.from } : {}),
    ...(flags.until ? { effectiveUntil: flags.until } : {}),
  });
  out(`Tax code ${flags.code} in ${flags.store}:`);
  for (const r of rates) out(taxLine(r));
}

const taxLine = (r: any) =>
  `  ${r.taxCode.padEnd(12)} ${(r.rateBasisPoints / 100).toFixed(2).padStart(6)} %  from ${r.effectiveFrom ?? 'always'}${r.effectiveUntil ? ` until ${r.effectiveUntil}` : ''}${r.name ? `  ${r.name}` : ''}`;

export async function listTaxes(ops: OpsClient, out: Out, storeId: string): Promise<void> {
  const rates: any[] = await ops.get(`/ops/v1/stores/${path(storeId, 'tax-rates')}`);
  if (rates.length === 0)
    return out(`No tax rates in ${storeId}: every line would go to bad-cart review (NO_TAX_RATE).`);
  for (const r of rates) out(taxLine(r));
}

export interface PromotionFlags {
  store: string;
  id: string;
  name: string;
  kind: string;
  skus?: string;
  percent?: string;
  amount?: string;
  quantity?: string;
  price?: string;
  buy?: string;
  get?: string;
  getPercent?: string;
  threshold?: string;
  starts?: string;
  ends?: string;
  priority?: string;
  exclusive?: boolean;
}

/** The engine's definition from the flags: amounts in the store's minor units, percentages in basis points. */
export function promotionFromFlags(flags: PromotionFlags, currency: string): Record<string, unknown> {
  const kind = parsePromotionKind(flags.kind);
  if (!kind)
    throw new OpsError(
      `--kind "${flags.kind}" must be percent-off, amount-off, multi-buy, buy-x-get-y or spend-threshold`,
    );
  const need = (value: string | undefined, flag: string): string => {
    if (value === undefined) throw new OpsError(`--kind ${flags.kind} needs ${flag}`);
    return value;
  };
  const percent = (value: string, flag: string) => {
    const bp = percentToBasisPoints(value);
    if (bp === null) throw new OpsError(`${flag} "${value}" must be a percentage with at most 2 decimals`);
    return bp;
  };
  const whole = (value: string, flag: string) => {
    if (!/^\d+$/.test(value)) throw new OpsError(`${flag} "${value}" must be a whole number`);
    return Number(value);
  };
  const skus = () =>
    need(flags.skus, '--skus')
      .split(/[,\s]+/)
      .filter(Boolean);
  const common = {
    id: flags.id,
    name: flags.name,
    kind,
    ...(flags.starts ? { startsAt: flags.starts } : {}),
    ...(flags.ends ? { endsAt: flags.ends } : {}),
    ...(flags.priority !== undefined ? { priority: Number(flags.priority) } : {}),
    ...(flags.exclusive ? { exclusive: true } : {}),
  };
  switch (kind) {
    case 'PERCENT_OFF':
      return { ...common, skus: skus(), percentBasisPoints: percent(need(flags.percent, '--percent'), '--percent') };
    case 'FIXED_OFF':
      return { ...common, skus: skus(), amountOffMinor: amount(need(flags.amount, '--amount'), currency, '--amount') };
    case 'MULTI_BUY':
      return {
        ...common,
        skus: skus(),
        quantity: whole(need(flags.quantity, '--quantity'), '--quantity'),
        priceMinor: amount(need(flags.price, '--price'), currency, '--price'),
      };
    case 'BUY_X_GET_Y':
      return {
        ...common,
        skus: skus(),
        buyQuantity: whole(need(flags.buy, '--buy'), '--buy'),
        getQuantity: whole(need(flags.get, '--get'), '--get'),
        ...(flags.getPercent ? { getPercentOffBasisPoints: percent(flags.getPercent, '--get-percent') } : {}),
      };
    case 'SPEND_THRESHOLD':
      if ((flags.amount === undefined) === (flags.percent === undefined))
        throw new OpsError('--kind spend-threshold needs exactly one of --amount and --percent');
      return {
        ...common,
        thresholdMinor: amount(need(flags.threshold, '--threshold'), currency, '--threshold'),
        ...(flags.amount !== undefined
          ? { amountOffMinor: amount(flags.amount, currency, '--amount') }
          : { percentOffBasisPoints: percent(flags.percent!, '--percent') }),
      };
  }
}

export async function addPromotion(ops: OpsClient, out: Out, flags: PromotionFlags): Promise<void> {
  const store = await ops.get(`/ops/v1/stores/${path(flags.store)}`);
  const added = await ops.post(
    `/ops/v1/stores/${path(flags.store, 'promotions')}`,
    promotionFromFlags(flags, store.currency),
  );
  out(`Promotion ${added.promotion.id} (${added.promotion.kind}) added to ${flags.store}: ${added.state}`);
  if (added.missingSkus.length) out(`  warning: not in the catalog (yet): ${added.missingSkus.join(', ')}`);
}

export async function listPromotions(ops: OpsClient, out: Out, storeId: string): Promise<void> {
  const entries: any[] = await ops.get(`/ops/v1/stores/${path(storeId, 'promotions')}`);
  if (entries.length === 0) return out(`No promotions in ${storeId}.`);
  for (const { promotion: p, state } of entries)
    out(
      `${p.id.padEnd(24)} ${state.padEnd(9)} ${p.kind.padEnd(15)} ${p.name}${p.startsAt ? `  from ${p.startsAt}` : ''}${p.endsAt ? `  until ${p.endsAt}` : ''}${p.exclusive ? '  exclusive' : ''}`,
    );
}

export async function endPromotion(ops: OpsClient, out: Out, storeId: string, promotionId: string): Promise<void> {
  const ended = await ops.post(`/ops/v1/stores/${path(storeId, 'promotions', promotionId, 'end')}`, {});
  out(`Promotion ${promotionId} in ${storeId} ended at ${ended.endsAt}.`);
}

export async function importPromotions(
  ops: OpsClient,
  out: Out,
  storeId: string,
  file: string,
  format?: string,
): Promise<boolean> {
  const kind = (format ?? extname(file).slice(1)).toLowerCase();
  if (kind !== 'json' && kind !== 'csv') throw new OpsError(`--format must be json or csv (the file is ${file})`);
  const result = await ops.post(`/ops/v1/stores/${path(storeId, 'promotions', 'imports')}`, {
    format: kind,
    content: readFileSync(file, 'utf8'),
  });
  out(
    `${result.imported} promotion(s) imported into ${storeId}, ${result.unchanged} unchanged, ${result.rejected.length} refused.`,
  );
  for (const r of result.rejected) out(`  line ${r.line}${r.id ? ` (${r.id})` : ''}: ${r.problems.join('; ')}`);
  for (const w of result.warnings)
    out(`  line ${w.line} (${w.id}): not in the catalog (yet): ${w.missingSkus.join(', ')}`);
  return result.rejected.length === 0;
}

export interface ShopperFlags {
  name: string;
  type?: string;
  token?: string;
  expiry?: string;
  appToken?: string;
}

export function shopperText(s: any): string {
  const card = s.paymentMethod
    ? `${s.paymentMethod.type} ${s.paymentMethod.token} (until ${s.paymentMethod.expiry})`
    : 'none';
  return [
    `Shopper   ${s.shopperId}  ${s.status}${s.flaggedReason ? `  flagged: ${s.flaggedReason}` : ''}${s.hasOpenDebt ? '  UNPAID DEBT' : ''}`,
    `Name      ${s.displayName} (${s.visitorType})`,
    `Payment   ${card}`,
  ].join('\n');
}

export async function addShopper(ops: OpsClient, out: Out, shopperId: string, flags: ShopperFlags): Promise<void> {
  if ((flags.token === undefined) !== (flags.expiry === undefined))
    throw new OpsError('--token and --expiry go together (the simulator test token and the card expiry, YYYY-MM)');
  const shopper = await ops.post('/ops/v1/shoppers', {
    shopperId,
    displayName: flags.name,
    visitorType: (flags.type ?? 'SHOPPER').toUpperCase().replace(/-/g, '_'),
    ...(flags.appToken ? { appToken: flags.appToken } : {}),
    ...(flags.token ? { paymentMethod: { type: 'TEST_TOKEN', token: flags.token, expiry: flags.expiry } } : {}),
  });
  out(shopperText(shopper));
}

export async function showShopper(ops: OpsClient, out: Out, shopperId: string): Promise<void> {
  out(shopperText(await ops.get(`/ops/v1/shoppers/${path(shopperId)}`)));
}

export async function deactivateShopper(ops: OpsClient, out: Out, shopperId: string, reason?: string): Promise<void> {
  out(shopperText(await ops.post(`/ops/v1/shoppers/${path(shopperId, 'deactivate')}`, reason ? { reason } : {})));
}

export async function flagShopper(ops: OpsClient, out: Out, shopperId: string, reason: string): Promise<void> {
  out(shopperText(await ops.post(`/ops/v1/shoppers/${path(shopperId, 'flag')}`, { reason })));
}

export async function unflagShopper(ops: OpsClient, out: Out, shopperId: string, reason?: string): Promise<void> {
  out(shopperText(await ops.post(`/ops/v1/shoppers/${path(shopperId, 'unflag')}`, reason ? { reason } : {})));
}

export async function revokeShopperCodes(ops: OpsClient, out: Out, shopperId: string, reason?: string): Promise<void> {
  const answer = await ops.post(`/ops/v1/shoppers/${path(shopperId, 'revoke-codes')}`, reason ? { reason } : {});
  out(`Revoked ${answer.revoked} unused Scan Key Code(s) of ${answer.shopperId}`);
}

function storeOptions(command: Command, creating: boolean): Command {
  return command
    .option('--retailer <id>', 'the retailer id')
    .option('--name <name>', 'the store name')
    .option('--time-zone <zone>', 'IANA time zone, e.g. America/Toronto (default UTC)')
    .option('--currency <code>', 'ISO 4217 currency, e.g. CAD')
    .option('--tax-inclusive', 'shelf prices include tax (VAT style)')
    .option('--no-tax-inclusive', 'tax is added on top (US/Canada style)')
    .option('--preauth <amount>', 'pre-auth at entry, in the currency, e.g. 50.00')
    .option(
      '--bad-cart-deadline <duration>',
      `how long operators have for a bad cart (30m, 24h${creating ? '' : '; "default" resets'})`,
    )
    .option('--bad-cart-default <decision>', 'at the deadline: charge-known or write-off')
    .option('--scan-key-prefix <prefix>', "this store's Customer Prefix, if it differs from SCAN_KEY_PREFIX")
    .option('--live', 'open the store to shoppers')
    .option('--no-live', 'close the store at the gate (answered as an unknown store)');
}

function shoppersCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'shoppers') ?? program.command('shoppers').description('shopper accounts')
  );
}

const required = (value: string | undefined, flag: string) => {
  if (!value) throw new InvalidArgumentError(`${flag} is required`);
  return value;
};

export function registerStoreCommands(program: Command, client: () => OpsClient = () => opsClient()): void {
  const stores = program.command('stores').description('open and configure stores (admin API)');
  storeOptions(
    stores.command('add <storeId>').description("create a store (Amazon's store id); not live until --live"),
    true,
  ).action(async (storeId: string, flags: StoreFlags) => {
    for (const [flag, value] of [
      ['--retailer', flags.retailer],
      ['--name', flags.name],
      ['--currency', flags.currency],
      ['--preauth', flags.preauth],
    ] as const)
      required(value, flag);
    await addStore(client(), stdout, storeId, { taxInclusive: false, ...flags });
  });
  storeOptions(
    stores.command('update <storeId>').description("change a store's settings; takes effect without a restart"),
    false,
  ).action((storeId: string, flags: StoreFlags) => updateStore(client(), stdout, storeId, flags));
  stores.command('show <storeId>').action((storeId: string) => showStore(client(), stdout, storeId));
  stores.command('list').action(() => listStores(client(), stdout));

  const taxes = program.command('taxes').description("a store's tax rates by tax code");
  taxes
    .command('set')
    .requiredOption('--store <id>', 'store id')
    .requiredOption('--code <taxCode>', 'the tax code items carry (GENERAL when an item has none)')
    .requiredOption('--rate <percent>', 'the rate in percent, e.g. 13 or 8.25')
    .option('--name <name>', 'the name on receipts')
    .option('--from <iso>', 'in force from this instant (default: always)')
    .option('--until <iso>', 'in force until this instant')
    .action((flags: TaxFlags) => setTax(client(), stdout, flags));
  taxes
    .command('list')
    .requiredOption('--store <id>', 'store id')
    .action((flags: { store: string }) => listTaxes(client(), stdout, flags.store));

  const promotions = program.command('promotions').description("a store's promotions");
  promotions
    .command('add')
    .requiredOption('--store <id>', 'store id')
    .requiredOption('--id <promotionId>', 'its id (receipts name it)')
    .requiredOption('--name <name>', 'the name on receipts')
    .requiredOption('--kind <kind>', 'percent-off, amount-off, multi-buy, buy-x-get-y or spend-threshold')
    .option('--skus <list>', 'the SKUs it applies to, comma-separated')
    .option('--percent <percent>', 'percent-off, spend-threshold: percent off')
    .option('--amount <amount>', 'amount-off, spend-threshold: amount off, in the currency')
    .option('--quantity <n>', 'multi-buy: how many')
    .option('--price <amount>', 'multi-buy: for this price')
    .option('--buy <n>', 'buy-x-get-y: buy this many')
    .option('--get <n>', 'buy-x-get-y: get this many')
    .option('--get-percent <percent>', 'buy-x-get-y: off the "get" items (default 100 = free)')
    .option('--threshold <amount>', 'spend-threshold: from this spend')
    .option('--starts <iso>', 'active from (ISO instant with offset)')
    .option('--ends <iso>', 'active until (exclusive)')
    .option('--priority <n>', 'higher applies first (default 0)')
    .option('--exclusive', 'never shares units with another promotion')
    .action((flags: PromotionFlags) => addPromotion(client(), stdout, flags));
  promotions
    .command('list')
    .requiredOption('--store <id>', 'store id')
    .action((flags: { store: string }) => listPromotions(client(), stdout, flags.store));
  promotions
    .command('end <promotionId>')
    .description('end it now: later trips no longer get it; receipts keep naming it')
    .requiredOption('--store <id>', 'store id')
    .action((promotionId: string, flags: { store: string }) =>
      endPromotion(client(), stdout, flags.store, promotionId),
    );
  promotions
    .command('import <file>')
    .description('import a POS export (JSON or CSV; see src/domain/promotionFile.ts for the columns)')
    .requiredOption('--store <id>', 'store id')
    .option('--format <format>', 'json or csv (default: from the extension)')
    .action(async (file: string, flags: { store: string; format?: string }) => {
      if (!(await importPromotions(client(), stdout, flags.store, file, flags.format))) process.exitCode = 1;
    });

  const shoppers = shoppersCommand(program);
  shoppers
    .command('add <shopperId>')
    .description('enroll a shopper (support staff; the app backend uses /app-backend/v1/shoppers)')
    .requiredOption('--name <displayName>', 'display name')
    .option('--type <visitorType>', 'SHOPPER, ASSOCIATE or CASH_SHOPPER', 'SHOPPER')
    .option('--token <token>', "the simulated gateway's test token, e.g. tok_visa")
    .option('--expiry <YYYY-MM>', "the card's last valid month")
    .option('--app-token <token>', 'the token the app signs in with (POST /app/v1/sessions)')
    .action((shopperId: string, flags: ShopperFlags) => addShopper(client(), stdout, shopperId, flags));
  shoppers.command('show <shopperId>').action((shopperId: string) => showShopper(client(), stdout, shopperId));
  shoppers
    .command('deactivate <shopperId>')
    .description('close the account: the gate turns the shopper away')
    .option('--reason <text>', 'recorded in the audit log')
    .action((shopperId: string, flags: { reason?: string }) =>
      deactivateShopper(client(), stdout, shopperId, flags.reason),
    );
  shoppers
    .command('flag <shopperId>')
    .description('flag the account (role operator): the gate turns the shopper away (ACCOUNT_FLAGGED)')
    .requiredOption('--reason <text>', 'why: kept as the flag and in the audit log')
    .action((shopperId: string, flags: { reason: string }) => flagShopper(client(), stdout, shopperId, flags.reason));
  shoppers
    .command('unflag <shopperId>')
    .description('clear the flag (role operator)')
    .option('--reason <text>', 'recorded in the audit log')
    .action((shopperId: string, flags: { reason?: string }) =>
      unflagShopper(client(), stdout, shopperId, flags.reason),
    );
  shoppers
    .command('revoke-codes <shopperId>')
    .description("revoke the shopper's unused Scan Key Codes (role operator): the gate answers TOKEN_REVOKED")
    .option('--reason <text>', 'recorded in the audit log')
    .action((shopperId: string, flags: { reason?: string }) =>
      revokeShopperCodes(client(), stdout, shopperId, flags.reason),
    );
}
