/** When a promotion is live: from `startsAt` (inclusive) until `endsAt` (exclusive); an absent bound is open. */
import { parseIsoInstant } from './isoInstant';
import type { Promotion } from './types';

export interface PromotionWindow {
  readonly startsAtNs?: bigint;
  readonly endsAtNs?: bigint;
}

export type WindowReading = { ok: true; window: PromotionWindow } | { ok: false; issues: string[] };

export function readPromotionWindow(promotion: Promotion): WindowReading {
  const issues: string[] = [];
  const read = (field: 'startsAt' | 'endsAt'): bigint | undefined => {
    const text = promotion[field];
    if (text === undefined) return undefined;
    const instant = parseIsoInstant(text);
    if (instant === undefined) issues.push(`${field} "${String(text)}" is not an ISO-8601 instant with an offset`);
    return instant;
  };
  const startsAtNs = read('startsAt');
  const endsAtNs = read('endsAt');
  if (startsAtNs !== undefined && endsAtNs !== undefined && startsAtNs >= endsAtNs) {
    issues.push('startsAt must be before endsAt');
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, window: { startsAtNs, endsAtNs } };
}

export function isActiveAt(window: PromotionWindow, atNs: bigint): boolean {
  return (
    (window.startsAtNs === undefined || window.startsAtNs <= atNs) &&
    (window.endsAtNs === undefined || atNs < window.endsAtNs)
  );
}
