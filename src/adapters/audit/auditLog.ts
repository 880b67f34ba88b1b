/**
 * The append-only audit log (table audit_log; the database refuses UPDATE and DELETE on it):
 * every action an operator, the app backend or an admin takes on money, shoppers, stores or keys
 * is recorded with who (from the credential, never from the request), what, on what, and why.
 * Record it in the same transaction as the change it describes, so neither exists without the other.
 */
import type { Queryable } from '../db/database';

export interface Actor {
  /** The operator's name from the credential, `app-backend`, or `deadline`/`system` for automatic decisions. */
  name: string;
  role: string | null;
}

export interface AuditEntry {
  actor: Actor;
  /** A dotted verb: `purchase.replay`, `badcart.resolve`, `purchase.refund`, `shopper.settle`, `store.update`, … */
  action: string;
  subject: { type: 'trip' | 'shopper' | 'store' | 'key' | 'catalog' | string; id: string };
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  entryId: number;
  at: Date;
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, actor_role, action, subject_type, subject_id, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      entry.actor.name,
      entry.actor.role,
      entry.action,
      entry.subject.type,
      entry.subject.id,
      entry.reason ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

export async function listAudit(
  db: Queryable,
  filter: { since?: Date; actor?: string; subjectType?: string; subjectId?: string; limit?: number } = {},
): Promise<AuditRecord[]> {
  const rows = await db.query<any>(
    `SELECT * FROM audit_log
      WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::text IS NULL OR actor = $2)
        AND ($3::text IS NULL OR subject_type = $3) AND ($4::text IS NULL OR subject_id = $4)
      ORDER BY entry_id DESC LIMIT $5`,
    [
      filter.since ?? null,
      filter.actor ?? null,
      filter.subjectType ?? null,
      filter.subjectId ?? null,
      filter.limit ?? 100,
    ],
  );
  return rows.map((r) => ({
    entryId: Number(r.entry_id),
    at: r.at,
    actor: { name: r.actor, role: r.actor_role },
    action: r.action,
    subject: { type: r.subject_type, id: r.subject_id },
    reason: r.reason,
    details: r.details,
  }));
}
