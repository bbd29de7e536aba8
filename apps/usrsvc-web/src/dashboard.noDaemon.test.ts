import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, screenshotPath, type TestBrowser } from './test-support/browser.js';
import { WebHarness } from './test-support/webHarness.js';

const WAIT = { timeout: 20_000 };

// The page in headless Chromium with no usrsvcd: status from the process table, actions through the launcher.
describe('dashboard without usrsvcd', () => {
  let h: WebHarness;
  let browser: TestBrowser;

  beforeEach(async () => {
    h = new WebHarness();
    browser = await openBrowser();
  });

  afterEach(async () => {
    await browser.close();
    await h.cleanup();
  });

  it('says plainly that usrsvcd is not running; Start, a confirmed Stop and the log panel still work', async () => {
    h.writeProgram('svc', h.uniqueSleep());
    await h.startWeb();
    const { page } = browser;
    await page.goto(h.pageUrl());
    expect(page.url()).toBe(`${h.origin}/`);
    await page.locator('#daemon').filter({ hasText: 'usrsvcd is not running' }).waitFor(WAIT);
    const row = page.locator('tr[data-program="svc"]');
    await row.locator('.state').filter({ hasText: 'not running' }).waitFor(WAIT);

    await row.locator('button.start').click();
    const pid = await h.servicePid(h.home.path('svc.pid'));
    await row.locator('.pid').filter({ hasText: new RegExp(`^${pid}$`) }).waitFor(WAIT);
    await row.locator('.state').filter({ hasText: 'running' }).waitFor(WAIT);
    await row.locator('button.logs-toggle').click();
    const marker = `svc said ${Date.now()}`;
    fs.appendFileSync(h.home.path('svc.out'), `${marker}\n`);
    await page.locator('[data-log="svc"] .log-line').filter({ hasText: marker }).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('dashboard-no-daemon.png'), fullPage: true });

    await row.locator('button.stop').click();
    await row.locator('.confirm').filter({ hasText: 'Stop svc?' }).waitFor(WAIT);
    expect(h.pidOf('svc')).toBe(pid);
    await row.locator('button.confirm-yes').click();
    await row.locator('.state').filter({ hasText: 'stopped by user' }).waitFor(WAIT);
    expect(h.pidOf('svc')).toBeUndefined();
    expect(browser.problems).toEqual([]);
  });

  it('without the token shows no data and says how to sign in', async () => {
    h.writeProgram('svc', h.uniqueSleep());
    await h.startWeb();
    const response = await browser.page.goto(`${h.origin}/`);
    expect(response?.status()).toBe(401);
    const text = (await browser.page.locator('body').textContent()) ?? '';
    expect(text).toContain('Open the address that `usrsvc-web url` prints');
    expect(text).not.toMatch(/\bsvc\b/);
  });
});
