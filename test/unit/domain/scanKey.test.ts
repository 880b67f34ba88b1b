/** Scan Key Codes: fixed vectors for issuance, and every reason verification refuses a code. */
import {
  issueScanKey,
  newRecognitionToken,
  parseMacKeys,
  verifyScanKey,
  type ScanKeySettings,
} from '../../../src/domain/scanKey';

const settings: ScanKeySettings = {
  prefix: 'JWO',
  keys: parseMacKeys('A:test-secret-0123456789,B:older-secret-9876543210'),
  windowSeconds: 60,
};
const TOKEN = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const ISSUED = new Date('2024-02-09T17:53:30Z');
// HMAC-SHA256("test-secret-0123456789", "JWO1707501210ABCDEFGHJKLMNPQRSTUVWXYZA"), first 20 hex digits, computed independently.
const VECTOR = 'JWO1707501210ABCDEFGHJKLMNPQRSTUVWXYZA96C60311B108F1C1A345';

test('when a code is issued, then it is prefix, epoch seconds, token, key id and a 20-hex-digit MAC, all alphanumeric', () => {
  const code = issueScanKey(settings, TOKEN, ISSUED);
  expect(code).toMatch(/^JWO1707501210ABCDEFGHJKLMNPQRSTUVWXYZA[0-9A-F]{20}$/);
  expect(code).toBe(VECTOR);
  expect(issueScanKey(settings, TOKEN, ISSUED)).toBe(code);
});

test('when a fresh code is scanned inside the window, then it verifies with its token and issue time', () => {
  const code = issueScanKey(settings, TOKEN, ISSUED);
  expect(verifyScanKey(settings, code, new Date('2024-02-09T17:53:57Z'), ISSUED)).toEqual({
    ok: true,
    token: TOKEN,
    issuedAt: ISSUED,
    keyId: 'A',
  });
});

test('when the signing key rotated, then codes signed by the older key still verify and unknown key ids do not', () => {
  const rotated: ScanKeySettings = { ...settings, keys: [settings.keys[1], settings.keys[0]] };
  const byB = issueScanKey(rotated, TOKEN, ISSUED);
  expect(byB.charAt(byB.length - 21)).toBe('B');
  expect(verifyScanKey(settings, byB, ISSUED, ISSUED)).toMatchObject({ ok: true, keyId: 'B' });
  const onlyA: ScanKeySettings = { ...settings, keys: [settings.keys[0]] };
  expect(verifyScanKey(onlyA, byB, ISSUED, ISSUED)).toEqual({ ok: false, reason: 'UNKNOWN_KEY_ID' });
});

describe('refusals', () => {
  const code = issueScanKey(settings, TOKEN, ISSUED);
  const cases: [string, string, Date, string][] = [
    ['punctuation', 'JWO-1707501210', ISSUED, 'NOT_ALPHANUMERIC'],
    ['another prefix', 'XYZ' + code.slice(3), ISSUED, 'BAD_PREFIX'],
    ['a truncated code', code.slice(0, -1), ISSUED, 'MALFORMED'],
    ['lower-case MAC', code.slice(0, -20) + code.slice(-20).toLowerCase().replace(/[0-9]/g, 'a'), ISSUED, 'MALFORMED'],
    ['a changed token', code.replace('ABCDEFGH', 'ABCDEFGJ'), ISSUED, 'BAD_MAC'],
    ['a changed time', code.replace('1707501210', '1707501299'), ISSUED, 'BAD_MAC'],
    ['a scan 61 s after issue', code, new Date(ISSUED.getTime() + 61_000), 'EXPIRED'],
    ['a scan 61 s before issue', code, new Date(ISSUED.getTime() - 61_000), 'NOT_YET_VALID'],
  ];
  test.each(cases)('when the code has %s, then it is refused', (_name, candidate, at, reason) => {
    expect(verifyScanKey(settings, candidate, at, ISSUED)).toEqual({ ok: false, reason });
  });

  test('when the scan is exactly at the edge of the window, then it still verifies', () => {
    expect(verifyScanKey(settings, code, new Date(ISSUED.getTime() + 60_000), ISSUED).ok).toBe(true);
    expect(verifyScanKey(settings, code, ISSUED, new Date(ISSUED.getTime() + 60_000)).ok).toBe(true);
  });

  test('when the server clock is past the window, then the code is EXPIRED whatever authEvent.timestamp says', () => {
    const later = new Date(ISSUED.getTime() + 61_000);
    expect(verifyScanKey(settings, code, ISSUED, later)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  test('when the server clock is before the window, then the code is NOT_YET_VALID whatever authEvent.timestamp says', () => {
    const earlier = new Date(ISSUED.getTime() - 61_000);
    expect(verifyScanKey(settings, code, ISSUED, earlier)).toEqual({ ok: false, reason: 'NOT_YET_VALID' });
  });
});

test('when recognition tokens are drawn, then they are 24 characters without look-alikes and differ', () => {
  const tokens = new Set(Array.from({ length: 200 }, () => newRecognitionToken()));
  expect(tokens.size).toBe(200);
  for (const token of tokens) expect(token).toMatch(/^[A-HJ-NP-Z2-9]{24}$/);
});
