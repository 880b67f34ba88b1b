/** `jwo plan` and `jwo checklist`: plan an app-entry store launch and check its operational readiness. */
import { Option, type Command } from 'commander';
import { checklistReport } from '../readiness/checklist';
import { operatorKey } from './opsClient';
import { localDate, planReport, PlanInputError } from '../readiness/plan';

/** A plan that cannot be made is the user's input, not a crash: one line, no stack. */
function refuse(err: unknown): void {
  if (!(err instanceof PlanInputError)) throw err;
  process.stderr.write(`\nError: ${err.message}\n`);
  process.exitCode = 1;
}

export function registerReadinessCommands(program: Command): void {
  program
    .command('plan')
    .description(
      'project plan of an app-entry store, scheduled back from the launch date on working days (Mon-Fri minus --holidays); ' +
        'refuses a launch that is not a working day or too early for the critical path',
    )
    .requiredOption('--launch <date>', 'launch date, YYYY-MM-DD (a working day)')
    .option('--start <date>', 'earliest day work can start, YYYY-MM-DD (default: today)')
    .addOption(
      new Option('--format <format>', 'csv prints the critical path on stderr; md includes it')
        .choices(['csv', 'md'])
        .default('csv'),
    )
    .option('--holidays <dates>', 'days off besides weekends, comma-separated YYYY-MM-DD')
    .action((options: { launch: string; start?: string; format: 'csv' | 'md'; holidays?: string }) => {
      try {
        const { stdout, stderr } = planReport({ ...options, today: localDate(new Date()) });
        process.stdout.write(stdout);
        process.stderr.write(stderr);
      } catch (err) {
        refuse(err);
      }
    });

  program
    .command('checklist')
    .description(
      'operational readiness checklist of an app-entry store; --live checks what it can against a running deployment (exit code 1 if any item FAILED)',
    )
    .option('--live', 'check items against the deployment and mark each PASSED, FAILED or MANUAL')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'csv']).default('md'))
    .option(
      '--api <url>',
      'deployment to check with --live (default: JWO_API_URL, else http://localhost:3000); operator key from JWO_OPERATOR_KEY',
    )
    .action(async (options: { live?: boolean; format: 'md' | 'csv'; api?: string }) => {
      const apiUrl = options.api ?? process.env.JWO_API_URL ?? 'http://localhost:3000';
      // The demo key only against a connector that says it runs in demo mode.
      const live = options.live ? { apiUrl, operatorKey: await operatorKey(apiUrl.replace(/\/$/, '')) } : undefined;
      const { output, failedItems } = await checklistReport({ format: options.format, live });
      process.stdout.write(output);
      if (failedItems.length) {
        process.stderr.write(`\n${failedItems.length} item(s) FAILED: ${failedItems.join(', ')}\n`);
        process.exitCode = 1;
      }
    });
}
