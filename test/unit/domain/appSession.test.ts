/** Shopper sessions: what verifies, and every reason a token is refused (expired, tampered, wrong or retired secret). */
import { createHmac } from 'node:crypto';
import { secretId, signSession, verifySession } from '../../../src/domain/appSession';

const SECRET = 'session-secret-0123456789abcdef0123456789';
const OLDER = 'older-session-secret-9876543210fedcba98765';
const NOW = new Date('2024-02-09T17:53:30Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

const [payloadOf, signatureOf] = [(t: string) => t.split('.')[0], (t: string) => t.split('.')[1]];
const claimsOf = (token: string) => JSON.parse(Buffer.from(payloadOf(token), 'base64url').toString());
const encode = (claims: object) => Buffer.from(JSON.stringify(claims)).toString('base64url');

test('when a session is signed, then it is base64url claims and an HMAC-SHA256 of them, verifying until it expires', () => {
  const { token, expiresAt } = signSession([SECRET], 'shopper-1', NOW, 900);
  expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  expect(claimsOf(token)).toEqual({ sub: 'shopper-1', iat: 1707501210, exp: 1707502110, kid: secretId(SECRET) });
  // The signature, computed independently of the module.
  expect(signatureOf(token)).toBe(createHmac('sha256', SECRET).update(payloadOf(token)).digest('base64url'));
  expect(expiresAt).toEqual(later(900));
  expect(verifySession([SECRET], token, later(899))).toEqual({ ok: true, shopperId: 'shopper-1', expiresAt });
});

test('when the session has reached its expiry, then it is refused as expired', () => {
  const { token } = signSession([SECRET], 'shopper-1', NOW, 900);
  expect(verifySession([SECRET], token, later(900))).toEqual({ ok: false, reason: 'EXPIRED' });
  expect(verifySession([SECRET], token, later(86_400))).toEqual({ ok: false, reason: 'EXPIRED' });
});

test('when the payload is changed (another shopper, a later expiry), then the signature no longer matches', () => {
  const { token } = signSession([SECRET], 'shopper-1', NOW, 900);
  const claims = claimsOf(token);
  for (const forged of [
    { ...claims, sub: 'shopper-2' },
    { ...claims, exp: claims.exp + 86_400 },
  ])
    expect(verifySession([SECRET], `${encode(forged)}.${signatureOf(token)}`, NOW)).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
});

test('when the signature is changed, truncated or respelled, then it is refused', () => {
  const { token } = signSession([SECRET], 'shopper-1', NOW, 900);
  const signature = signatureOf(token);
  const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
  // The last of 43 characters carries 2 spare bits: a respelling decodes to the same bytes, and is still refused.
  const last = signature.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const respelled = signature.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
  for (const bad of [flipped, signature.slice(0, -1), respelled])
    expect(verifySession([SECRET], `${payloadOf(token)}.${bad}`, NOW)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
});

test('when the token was signed with another secret, then it is refused, whatever kid it claims', () => {
  const { token } = signSession(['attacker-secret-0123456789abcdef01234'], 'shopper-1', NOW, 900);
  expect(verifySession([SECRET], token, NOW)).toEqual({ ok: false, reason: 'UNKNOWN_KEY' });
  // Claiming our secret's kid does not help: the signature is still the other secret's.
  const payload = encode({ ...claimsOf(token), kid: secretId(SECRET) });
  const signature = createHmac('sha256', 'attacker-secret-0123456789abcdef01234').update(payload).digest('base64url');
  expect(verifySession([SECRET], `${payload}.${signature}`, NOW)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
});

test('when the shopper id is as long as one may be, then its session still verifies', () => {
  const longest = '\u20ac'.repeat(255); // 765 bytes of UTF-8
  const { token } = signSession([SECRET], longest, NOW, 900);
  expect(verifySession([SECRET], token, NOW)).toMatchObject({ ok: true, shopperId: longest });
});

test('when the secret is rotated, then the new one signs, sessions of the old one verify until it is dropped', () => {
  const old = signSession([OLDER], 'shopper-1', NOW, 900).token;
  const rotated = [SECRET, OLDER];
  const fresh = signSession(rotated, 'shopper-1', NOW, 900).token;
  expect(claimsOf(fresh).kid).toBe(secretId(SECRET));
  expect(verifySession(rotated, old, NOW)).toMatchObject({ ok: true, shopperId: 'shopper-1' });
  expect(verifySession(rotated, fresh, NOW)).toMatchObject({ ok: true, shopperId: 'shopper-1' });
  // The old secret dropped: its sessions end at once, the new one's go on.
  expect(verifySession([SECRET], old, NOW)).toEqual({ ok: false, reason: 'UNKNOWN_KEY' });
  expect(verifySession([SECRET], fresh, NOW)).toMatchObject({ ok: true });
});

test.each([
  ['an app token', 'demo-alice'],
  ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
  ['three parts', 'a.b.c'],
  ['an empty part', '.abc'],
  ['not base64url', 'ab+c.def'],
  ['a payload that is not JSON', `${Buffer.from('not json').toString('base64url')}.abc`],
  ['claims of the wrong types', `${encode({ sub: 1, iat: '0', exp: null, kid: 'x' })}.abc`],
  ['an empty shopper id', `${encode({ sub: '', iat: 0, exp: 9e9, kid: secretId(SECRET) })}.abc`],
  ['JSON null', `${encode(null as unknown as object)}.abc`],
  ['a very long token', `${'a'.repeat(3000)}.abc`],
])('when the bearer is %s, then it is refused as malformed', (_name, token) => {
  expect(verifySession([SECRET], token, NOW)).toEqual({ ok: false, reason: 'MALFORMED' });
});
