/**
 * What makes a store's settings valid, and how its per-store overrides fall back to the
 * deployment's defaults. Pure: the store admin use cases and the gate both read it.
 */
import { currencyExponent, isCurrencyCode } from './money';
import type { Store } from './identity';

export interface SettingProblem {
  field: string;
  reason: string;
}

/** ISO 4217 codes the runtime knows (Node's ICU); a well-formed but unknown code is refused. */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [],
);

export function currencyProblem(currency: string): string | null {
  if (!isCurrencyCode(currency)) return 'must be an ISO 4217 code of three upper-case letters, such as USD';
  if (KNOWN_CURRENCIES.size > 0 && !KNOWN_CURRENCIES.has(currency)) return `${currency} is not an ISO 4217 currency`;
  return null;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const SCAN_KEY_PREFIX = /^[A-Z0-9]{2,8}$/;
export const DURATION = /^\d+(ms|s|m|h|d)$/;

/** The settings a store may set; every field optional so the same check serves creation and updates. */
export interface StoreSettingsInput {
  timeZone?: string;
  currency?: string;
  currencyExponent?: number;
  preauthAmountMinor?: number;
  badCartDeadline?: string | null;
  scanKeyPrefix?: string | null;
}

/** Problems with the values themselves (types are the schema's job), each naming its field. */
export function storeSettingsProblems(input: StoreSettingsInput): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const problem = (field: string, reason: string) => problems.push({ field, reason });
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone))
    problem('timeZone', `"${input.timeZone}" is not an IANA time zone such as America/New_York`);
  if (input.currency !== undefined) {
    const currency = currencyProblem(input.currency);
    if (currency) problem('currency', currency);
    else if (input.currencyExponent !== undefined && input.currencyExponent !== currencyExponent(input.currency))
      problem(
        'currencyExponent',
        `${input.currency} has ${currencyExponent(input.currency)} decimals (ISO 4217), not ${input.currencyExponent}`,
      );
  }
  if (
    input.preauthAmountMinor !== undefined &&
    !(Number.isSafeInteger(input.preauthAmountMinor) && input.preauthAmountMinor > 0)
  )
    problem('preauthAmountMinor', 'must be a positive whole number of minor units');
  if (input.badCartDeadline != null) {
    if (!DURATION.test(input.badCartDeadline)) problem('badCartDeadline', 'must be a duration like 30m, 24h or 2d');
    else if (durationMs(input.badCartDeadline) < 60_000) problem('badCartDeadline', 'must be at least 1m');
  }
  if (input.scanKeyPrefix != null && !SCAN_KEY_PREFIX.test(input.scanKeyPrefix))
    problem('scanKeyPrefix', 'must be 2-8 upper-case letters or digits');
  return problems;
}

/** "30m", "24h", "6d" → milliseconds. */
export function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * factor;
}

export interface StoreDefaults {
  badCartDeadlineMs: number;
  badCartDefault: 'CHARGE_KNOWN' | 'WRITE_OFF';
  scanKeyPrefix: string;
}

/** The store's own setting where it has one, else the deployment's (the environment's). */
export function effectiveStoreSettings(store: Store, defaults: StoreDefaults): StoreDefaults {
  return {
    badCartDeadlineMs: store.badCartDeadline ? durationMs(store.badCartDeadline) : defaults.badCartDeadlineMs,
    badCartDefault: store.badCartDefaultDecision ?? defaults.badCartDefault,
    scanKeyPrefix: store.scanKeyPrefix ?? defaults.scanKeyPrefix,
  };
}

/** Major units as typed by a person ("5", "5.00", "1234.5") → minor units of the currency, exactly. */
export function majorToMinor(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole, decimals = ''] = match;
  if (decimals.length > exponent) return null;
  const minor = Number(whole + decimals.padEnd(exponent, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}
