/** `jwo audit list`: the operator audit log (GET /ops/v1/audit), newest first. */
import type { Command } from 'commander';
import { opsClient } from './opsClient';

interface AuditEntryView {
  entryId: number;
  at: string;
  actor: { name: string; role: string | null };
  action: string;
  subject: { type: string; id: string };
  reason: string | null;
  details: Record<string, unknown>;
}

export function auditQueryString(o: { since?: string; operator?: string; trip?: string; limit?: string }): string {
  const params = new URLSearchParams();
  if (o.since) params.set('since', o.since);
  if (o.operator) params.set('operator', o.operator);
  if (o.trip) params.set('trip', o.trip);
  if (o.limit) params.set('limit', o.limit);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit log: who did what to money, shoppers, stores and keys');
  audit
    .command('list')
    .description('list audit entries, newest first')
    .option('--since <iso>', 'only entries at or after this time (ISO 8601)')
    .option('--operator <name>', 'only what this operator did')
    .option('--trip <id>', 'only actions on this trip')
    .option('--limit <n>', 'at most this many entries (default 100, at most 1000)')
    .option('--json', 'print JSON')
    .action(async (o: { since?: string; operator?: string; trip?: string; limit?: string; json?: boolean }) => {
      const { entries } = await opsClient().get<{ entries: AuditEntryView[] }>(`/ops/v1/audit${auditQueryString(o)}`);
      if (o.json) return void process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      if (!entries.length) return void process.stdout.write('no audit entries\n');
      for (const e of entries) {
        process.stdout.write(
          `${e.at}  ${e.actor.name}${e.actor.role ? ` (${e.actor.role})` : ''}  ${e.action}  ${e.subject.type} ${e.subject.id}${e.reason ? `  "${e.reason}"` : ''}\n`,
        );
      }
    });
}
