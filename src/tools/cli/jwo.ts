#!/usr/bin/env node
/** `jwo`: the operator and developer command line. `jwo --help` lists the commands. */
import { Command } from 'commander';
import { exitWithMessage } from '../../startup';
import { start } from './start';
import { registerScanKeyCommands } from './scanKeyCommands';
import { registerCatalogCommands } from './catalogCommands';
import { registerPurchaseCommands } from './purchaseCommands';
import { registerPaymentCommands } from './paymentCommands';
import { registerReadinessCommands } from './readinessCommands';
import { registerJourneyCommands } from './journeyCommands';
import { registerConnectivityCommands } from './connectivityCommands';
import { registerAuditCommands } from './auditCommands';
import { registerStoreCommands } from './storeCommands';

const program = new Command('jwo')
  .description('JWO app-entry connector: run, operate and test it')
  .showHelpAfterError();

program
  .command('start')
  .description('run the all-in-one: Temporal dev server + UI, embedded database, API and worker, demo store')
  .action(() => start());
registerScanKeyCommands(program);
registerCatalogCommands(program);
registerPurchaseCommands(program);
registerPaymentCommands(program);
registerReadinessCommands(program);
registerJourneyCommands(program);
registerConnectivityCommands(program);
registerAuditCommands(program);
registerStoreCommands(program);

program.parseAsync(process.argv).catch(exitWithMessage);
