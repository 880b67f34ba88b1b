/** The outcome of one check: ok, or a reason a person can act on ("check digit should be 2, got 5"). */
export type CheckResult = { ok: true } | { ok: false; reason: string };

export const OK: CheckResult = Object.freeze({ ok: true });

export function fail(reason: string): CheckResult {
  return { ok: false, reason };
}
