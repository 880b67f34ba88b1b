/** Runs the Catalog API simulator on 127.0.0.1 (port 0: any free port). */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { CatalogApiSimulatorOptions } from './options';
import { createCatalogApiSimulator, type CatalogApiSimulator } from './simulator';

export interface RunningCatalogApiSimulator extends CatalogApiSimulator {
  /** http://127.0.0.1:<port>, usable as the Catalog API endpoint. */
  url: string;
  /** Stops the simulator and the server, dropping open connections. */
  close(): Promise<void>;
}

export async function startCatalogApiSimulator(
  options: CatalogApiSimulatorOptions & { port?: number },
): Promise<RunningCatalogApiSimulator> {
  const simulator = createCatalogApiSimulator(options);
  const server = createServer(simulator.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await simulator.setPublicUrl(options.publicUrl ?? url);
  return {
    ...simulator,
    url,
    async close() {
      simulator.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
