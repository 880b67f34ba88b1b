/** The audit log on both databases: entries are recorded and listed by filter, and the database refuses to change or remove one. */
import { listAudit, recordAudit } from '../../src/adapters/audit/auditLog';
import { DB_KINDS, openTestDatabase, type TestDatabase } from '../support/db';

describe.each(DB_KINDS)('audit log (%s)', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.close());

  test('when actions are recorded, then they are listed newest first and filtered by actor and subject', async () => {
    await recordAudit(db, {
      actor: { name: 'alice', role: 'operator' },
      action: 'purchase.replay',
      subject: { type: 'trip', id: 'T-1' },
      reason: 'POS fixed',
    });
    await recordAudit(db, {
      actor: { name: 'bob', role: 'admin' },
      action: 'store.update',
      subject: { type: 'store', id: 'STORE-001' },
      details: { preauthAmountMinor: 6000 },
    });
    const all = await listAudit(db);
    expect(all.map((e) => e.action)).toEqual(['store.update', 'purchase.replay']);
    expect(all[0]).toMatchObject({ actor: { name: 'bob', role: 'admin' }, details: { preauthAmountMinor: 6000 } });
    expect(await listAudit(db, { actor: 'alice' })).toEqual([
      expect.objectContaining({ action: 'purchase.replay', subject: { type: 'trip', id: 'T-1' }, reason: 'POS fixed' }),
    ]);
    expect(await listAudit(db, { subjectType: 'trip', subjectId: 'T-2' })).toEqual([]);
  });

  test('when anyone tries to change or delete an entry, then the database refuses', async () => {
    await expect(db.query("UPDATE audit_log SET actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect((await listAudit(db)).every((e) => e.actor.name !== 'mallory')).toBe(true);
  });
});
