/**
 * Payload encryption for everything the connector stores in Temporal (workflow inputs, activity
 * arguments and results, query answers): carts, shopper ids and payment references are ciphertext
 * in Temporal's database. AES-256-GCM with a fresh 12-byte nonce per payload; the key id travels in
 * the payload's metadata, so keys rotate by putting a new one first (it encrypts) and keeping the
 * old ones (they still decrypt what was written with them).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ConfigError } from '../../config';

const ENCODING = 'binary/encrypted';
const CIPHER = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const text = (value: string) => new TextEncoder().encode(value);
const asText = (value: Uint8Array | null | undefined) => (value ? Buffer.from(value).toString('utf8') : undefined);

export interface PayloadKey {
  id: string;
  key: Buffer;
}

/** TEMPORAL_PAYLOAD_KEYS `id:base64key,…` → keys, the first being the one that encrypts. */
export function parsePayloadKeys(value: string): PayloadKey[] {
  return value.split(',').map((entry) => {
    const [id, encoded] = entry.split(':');
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) throw new ConfigError([`TEMPORAL_PAYLOAD_KEYS: key ${id} is not 32 bytes`]);
    return { id, key };
  });
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: PayloadKey[]) {
    if (keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0];
    return payloads.map((payload) => {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(CIPHER, key, nonce);
      // The whole payload (its metadata and data) is sealed, so the encoding is hidden too.
      const plain = Buffer.from(JSON.stringify({ metadata: encodeMap(payload.metadata), data: b64(payload.data) }));
      const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: text(ENCODING), 'encryption-key-id': text(id) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (asText(payload.metadata?.encoding) !== ENCODING) return payload; // written before encryption was on
      const keyId = asText(payload.metadata?.['encryption-key-id']) ?? '';
      const key = this.byId.get(keyId);
      if (!key) throw new Error(`payload encrypted with key "${keyId}", which TEMPORAL_PAYLOAD_KEYS does not hold`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      const nonce = sealed.subarray(0, NONCE_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      const decipher = createDecipheriv(CIPHER, key, nonce);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      const inner = JSON.parse(plain.toString('utf8')) as { metadata: Record<string, string>; data: string };
      return { metadata: decodeMap(inner.metadata), data: Buffer.from(inner.data, 'base64') };
    });
  }
}

const b64 = (value: Uint8Array | null | undefined) => Buffer.from(value ?? new Uint8Array()).toString('base64');

function encodeMap(metadata: Payload['metadata']): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, b64(v)]));
}

function decodeMap(metadata: Record<string, string>): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

/** The codecs for a client or worker: encryption when keys are configured, none otherwise. */
export function payloadCodecs(keys: string | undefined): PayloadCodec[] {
  return keys ? [new EncryptionCodec(parsePayloadKeys(keys))] : [];
}
