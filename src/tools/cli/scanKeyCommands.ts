import type { Command } from 'commander';
import { opsClient } from './opsClient';

export function registerScanKeyCommands(program: Command): void {
  const scanKey = program.command('scan-key').description('Scan Key Codes (the QR payload the app shows at the gate)');
  scanKey
    .command('issue')
    .description('issue a code for a shopper and print it with its Base64 identityKey form')
    .requiredOption('--shopper <id>', 'shopper id')
    .option('--at <iso>', 'issue time (default: now)')
    .option('--json', 'print JSON')
    .action(async (options: { shopper: string; at?: string; json?: boolean }) => {
      const issued = await opsClient().post('/ops/v1/scan-keys', { shopperId: options.shopper, at: options.at });
      process.stdout.write(
        options.json
          ? `${JSON.stringify(issued)}\n`
          : `${issued.code}\nidentityKey: ${issued.identityKey}\nexpires: ${issued.expiresAt}\n`,
      );
    });
}
