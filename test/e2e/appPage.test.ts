/**
 * The app's Scan Key page in a real browser (Debian's chromium, driven by playwright-core): a demo
 * shopper signs in for a session, the page shows a QR, the test decodes the QR from a screenshot,
 * and the gate admits the decoded code; the shopper's past trip is listed with its receipt; an
 * expired session is replaced by signing in again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { signSession } from '../../src/domain/appSession';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { CHROMIUM_ARGS, ensureChromium } from '../support/ensureChromium';
import { enterStore, identityKeysRequest, item, post, purchaseRequest } from '../support/fixtures';
import { purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';

describe('the app Scan Key page in headless Chromium', () => {
  let stack: TestStack;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    stack = await startTestStack();
    await seedDemoStore(stack.db);
    // A past trip of Alice's: three colas (3 for 5.00) and a sandwich.
    const authEvent = await enterStore(stack.url, stack.db, stack.config, 'shopper-001');
    const trip = purchaseRequest([authEvent], [item('SKU-001', '3'), item('SKU-003')]);
    expect((await post(stack.url, '/v1/order/purchases', trip)).status).toBe(201);
    await purchaseSettled(stack.db, trip.idempotentShoppingTripId);

    profileDir = mkdtempSync(join(tmpdir(), 'jwo-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 480, height: 900 },
    });
  }, 600_000);

  // A fresh tab each time: the page keeps the sign-in in the tab's sessionStorage.
  beforeEach(async () => {
    page = await context.newPage();
  });
  afterEach(() => page?.close());

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await stack?.close();
  });

  async function signInAs(token: string): Promise<void> {
    await page.goto(`${stack.url}/app`);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
  }

  function decodeQr(png: Buffer): string {
    const image = PNG.sync.read(png);
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    if (!decoded) throw new Error('no QR code found in the screenshot');
    return decoded.data;
  }

  test('when a shopper signs in, then the QR on screen decodes to a code the gate accepts for that shopper', async () => {
    await signInAs('demo-alice');
    await page.locator('#qr svg').waitFor();
    await page.locator('#code').filter({ hasText: /\S/ }).waitFor();
    const code = decodeQr(await page.locator('#qr').screenshot());
    expect(code).toBe(await page.locator('#code').textContent());

    const answer = await post(stack.url, '/v1/identity/identity-keys', identityKeysRequest(code));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ visitorDetails: { id: 'shopper-001', type: 'SHOPPER' } });
  });

  test('when a shopper with a past trip signs in, then its receipt is listed with lines, savings, tax and total', async () => {
    await signInAs('demo-alice');
    const receipt = page.locator('#receipts .receipt').first();
    await receipt.waitFor();
    const text = await receipt.innerText();
    expect(text).toContain('3 × Cola 330ml');
    expect(text).toContain('Chicken Sandwich');
    expect(text).toMatch(/Drinks: 3 for \$5\.00\s+−\$0\.97/);
    expect(text).toMatch(/Tax\s+\$0\.41/);
    expect(text).toMatch(/Total\s+\$11\.40/);
    expect(text).toContain('Paid by card');
  });

  test('when the code nears its expiry, then the page replaces it with a new one before it expires', async () => {
    await page.clock.install();
    await signInAs('demo-alice');
    const code = page.locator('#code');
    await code.filter({ hasText: /\S/ }).waitFor();
    const first = await code.textContent();
    const expiresAt = Date.parse((await page.locator('#qr').getAttribute('data-expires-at'))!);
    // The browser's clock jumps to 10 s before the expiry; the renewal is due by then.
    await page.clock.fastForward(Math.max(0, expiresAt - 10_000 - (await page.evaluate(() => Date.now()))));
    await code.filter({ hasNotText: first! }).waitFor();
    expect(Date.parse((await page.locator('#qr').getAttribute('data-expires-at'))!)).toBeGreaterThan(
      expiresAt - 10_000,
    );
  });

  test('when the session has expired, then the page signs in again with the app token and carries on', async () => {
    await signInAs('demo-alice');
    await page.locator('#code').filter({ hasText: /\S/ }).waitFor();
    // What a tab left open past APP_SESSION_TTL_SECONDS holds: a session that expired an hour ago.
    const hourAgo = new Date(Date.now() - 3_600_000);
    const expired = signSession(stack.config.APP_SESSION_SECRETS, 'shopper-001', hourAgo, 900).token;
    // Run in the page (globalThis is the window; the test compiles without the DOM's types).
    await page.evaluate((token) => (globalThis as any).sessionStorage.setItem('jwo-app-session', token), expired);
    const bearers: string[] = [];
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (authorization) bearers.push(authorization);
    });
    await page.reload();
    await page.locator('#shopper-name').filter({ hasText: 'Alice Example' }).waitFor();
    await page.locator('#code').filter({ hasText: /\S/ }).waitFor();
    const renewed: string = await page.evaluate(() => (globalThis as any).sessionStorage.getItem('jwo-app-session'));
    expect(renewed).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(renewed).not.toBe(expired);
    // The expired session was tried once, then only the new one; the app token is never a bearer.
    expect(bearers[0]).toBe(`Bearer ${expired}`);
    expect(new Set(bearers.slice(1))).toEqual(new Set([`Bearer ${renewed}`]));
  });

  test('when the app token is unknown, then the page stays on sign-in and says so', async () => {
    await signInAs('not-a-token');
    await page.locator('#sign-in-error').filter({ hasText: 'Unknown app token.' }).waitFor();
    expect(await page.locator('#signed-in').isHidden()).toBe(true);
  });
});
