/** `jwo connectivity-test`: checks every link of an onboarded store from where the connector runs. */
import type { Command } from 'commander';
import { renderJson, renderTable } from '../connectivity/render';
import { runConnectivityTest } from '../connectivity/runConnectivityTest';

export function registerConnectivityCommands(program: Command): void {
  program
    .command('connectivity-test')
    .description(
      "check, from where the connector is deployed, Amazon's Catalog API with our credentials, the notification queue " +
        'and its SNS subscription, both connector endpoints through the public URL, Temporal and the database; ' +
        'one row per check with what to fix (exit code 1 if any check fails). Reads the connector environment; ' +
        'the connector key from JWO_CONNECTOR_KEY (else the first of CONNECTOR_API_KEYS)',
    )
    .option('--json', 'print the report as JSON')
    .option(
      '--public-url <url>',
      "the connector's public base URL, e.g. https://jwo.example.com (default: JWO_API_URL)",
    )
    .action(async (options: { json?: boolean; publicUrl?: string }) => {
      const result = await runConnectivityTest({ env: process.env, publicUrl: options.publicUrl });
      process.stdout.write(options.json ? renderJson(result) : renderTable(result));
      if (!result.ok) process.exitCode = 1;
    });
}
