/**
 * How every process reaches Temporal: the address and namespace, TLS (a server CA, a client
 * certificate for mTLS, a server name override) or a Temporal Cloud API key, and the payload
 * codec. The API, the worker and the `jwo` commands that talk to Temporal all connect through
 * here, so a setting means the same everywhere. A refused connection is a start-up error that
 * names the setting to check.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { ConfigError, type Config } from '../../config';
import { StartupError } from '../../startup';
import { payloadCodecs } from './encryptionCodec';

type TemporalConfig = Pick<
  Config,
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_TLS_CA'
  | 'TEMPORAL_TLS_CERT'
  | 'TEMPORAL_TLS_KEY'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_PAYLOAD_KEYS'
>;

/** A PEM given inline or as a file path. */
function pem(variable: string, value: string): Buffer {
  if (value.includes('-----BEGIN')) return Buffer.from(value.replace(/\\n/g, '\n'));
  try {
    return readFileSync(value);
  } catch (err) {
    throw new ConfigError([
      `${variable}: cannot read ${value} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ]);
  }
}

/** TLS settings, or undefined for a plain-text connection (the dev server). */
export function temporalTls(config: TemporalConfig): NativeConnectionOptions['tls'] {
  const { TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key } = config;
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigError([
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both (the client certificate and its key) or neither',
    ]);
  }
  if (!ca && !cert && !config.TEMPORAL_TLS_SERVER_NAME) return config.TEMPORAL_API_KEY ? true : undefined;
  return {
    ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(ca ? { serverRootCACertificate: pem('TEMPORAL_TLS_CA', ca) } : {}),
    ...(cert && key
      ? { clientCertPair: { crt: pem('TEMPORAL_TLS_CERT', cert), key: pem('TEMPORAL_TLS_KEY', key) } }
      : {}),
  };
}

function connectionOptions(address: string, config: TemporalConfig): ConnectionOptions & NativeConnectionOptions {
  const tls = temporalTls(config);
  return {
    address,
    ...(tls ? { tls } : {}),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
}

/** What to check when the connection is refused: the settings that were used. */
function refused(address: string, config: TemporalConfig, err: unknown): StartupError {
  const secured = [
    config.TEMPORAL_TLS_CA && 'TEMPORAL_TLS_CA',
    config.TEMPORAL_TLS_CERT && 'TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY',
    config.TEMPORAL_TLS_SERVER_NAME && 'TEMPORAL_TLS_SERVER_NAME',
    config.TEMPORAL_API_KEY && 'TEMPORAL_API_KEY',
  ].filter(Boolean);
  const check = secured.length
    ? `check ${secured.join(', ')} against what the server expects`
    : 'the connection is plain text: a secured server needs TEMPORAL_TLS_* or TEMPORAL_API_KEY';
  return new StartupError(
    `Cannot connect to Temporal at TEMPORAL_ADDRESS=${address}: ${(err as Error).message}. ${check}.`,
  );
}

export function temporalCodecs(config: TemporalConfig): PayloadCodec[] {
  return payloadCodecs(config.TEMPORAL_PAYLOAD_KEYS);
}

/** A client (with its connection, to close) for the API and the jwo commands. */
export async function connectTemporalClient(
  address: string,
  config: TemporalConfig,
): Promise<{ client: Client; connection: Connection }> {
  let connection: Connection;
  try {
    connection = await Connection.connect(connectionOptions(address, config));
    // connect() is lazy about the TLS handshake: make one call so a refused certificate fails here.
    await connection.workflowService.getSystemInfo({});
  } catch (err) {
    throw refused(address, config, err);
  }
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: { payloadCodecs: temporalCodecs(config) },
  });
  return { client, connection };
}

/** The worker's connection. */
export async function connectTemporalWorker(address: string, config: TemporalConfig): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(connectionOptions(address, config));
  } catch (err) {
    throw refused(address, config, err);
  }
}
