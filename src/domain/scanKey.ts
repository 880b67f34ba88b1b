/**
 * Scan Key Codes: the payload of the QR code the shopper's app shows at the gate.
 *
 * Amazon's exact layout is not public (jwo-api.md §1.6), so the format is ours, within the
 * documented rules: alphanumeric only, a Customer Prefix, an issue timestamp checked against
 * authEvent.timestamp, and a Recognition Token that maps to a recognition record. A MAC makes a
 * code impossible to forge without the backend's key; the key id lets keys rotate.
 *
 *   <prefix><issuedAt:10 digits, epoch seconds><token:24 [A-Z0-9]><keyId:1 [A-Z0-9]><mac:20 [0-9A-F]>
 *
 * mac = first 20 hex digits (80 bits) of HMAC-SHA256(secret[keyId], everything before the mac).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface MacKey {
  id: string;
  secret: string;
}

export interface ScanKeySettings {
  prefix: string;
  /** The first key signs new codes; all of them verify (rotation). */
  keys: MacKey[];
  windowSeconds: number;
}

export type ScanKeyRejection =
  'NOT_ALPHANUMERIC' | 'BAD_PREFIX' | 'MALFORMED' | 'UNKNOWN_KEY_ID' | 'BAD_MAC' | 'EXPIRED' | 'NOT_YET_VALID';

export type ScanKeyVerification =
  { ok: true; token: string; issuedAt: Date; keyId: string } | { ok: false; reason: ScanKeyRejection };

const TOKEN_LENGTH = 24;
const MAC_LENGTH = 20;
const TOKEN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function parseMacKeys(value: string): MacKey[] {
  return value.split(',').map((pair) => {
    const [id, ...rest] = pair.split(':');
    return { id, secret: rest.join(':') };
  });
}

/** A fresh Recognition Token (24 characters from an alphabet without look-alikes). */
export function newRecognitionToken(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(TOKEN_LENGTH);
  let token = '';
  for (const byte of bytes) token += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return token;
}

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex').slice(0, MAC_LENGTH).toUpperCase();
}

export function issueScanKey(settings: ScanKeySettings, token: string, issuedAt: Date): string {
  if (!/^[A-Z0-9]{24}$/.test(token)) throw new Error('recognition token must be 24 upper-case alphanumeric characters');
  const key = settings.keys[0];
  const seconds = Math.floor(issuedAt.getTime() / 1000);
  const body = `${settings.prefix}${String(seconds).padStart(10, '0')}${token}${key.id}`;
  return body + mac(key.secret, body);
}

/**
 * Verifies a decoded Scan Key Code against the scan time Amazon reports (authEvent.timestamp) and
 * against this server's clock (`serverNow`): the issue time must be within the window of both, so a
 * captured code replayed later with a made-up authEvent.timestamp is refused whatever that says.
 */
export function verifyScanKey(
  settings: ScanKeySettings,
  code: string,
  scannedAt: Date,
  serverNow: Date,
): ScanKeyVerification {
  if (!/^[A-Za-z0-9]+$/.test(code)) return { ok: false, reason: 'NOT_ALPHANUMERIC' };
  if (!code.startsWith(settings.prefix)) return { ok: false, reason: 'BAD_PREFIX' };
  const rest = code.slice(settings.prefix.length);
  const match = /^(\d{10})([A-Z0-9]{24})([A-Z0-9])([0-9A-F]{20})$/.exec(rest);
  if (!match) return { ok: false, reason: 'MALFORMED' };
  const [, seconds, token, keyId, givenMac] = match;
  const key = settings.keys.find((k) => k.id === keyId);
  if (!key) return { ok: false, reason: 'UNKNOWN_KEY_ID' };
  const expected = mac(key.secret, code.slice(0, code.length - MAC_LENGTH));
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(givenMac))) return { ok: false, reason: 'BAD_MAC' };
  const issuedAt = new Date(Number(seconds) * 1000);
  const outside =
    windowProblem(issuedAt, scannedAt, settings.windowSeconds) ??
    windowProblem(issuedAt, serverNow, settings.windowSeconds);
  if (outside) return { ok: false, reason: outside };
  return { ok: true, token, issuedAt, keyId };
}

/** Whether `issuedAt` is within ±window of `at`: a small negative age is clock skew (app backend, Amazon's gate, us); more is a forged or wrong time. */
function windowProblem(issuedAt: Date, at: Date, windowSeconds: number): 'EXPIRED' | 'NOT_YET_VALID' | null {
  const ageSeconds = (at.getTime() - issuedAt.getTime()) / 1000;
  if (ageSeconds < -windowSeconds) return 'NOT_YET_VALID';
  if (ageSeconds > windowSeconds) return 'EXPIRED';
  return null;
}
