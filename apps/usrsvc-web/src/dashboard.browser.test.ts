import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProgramView } from '@usrsvc/api';
import { startProgram } from '@usrsvc/launcher';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, screenshotPath, type TestBrowser } from './test-support/browser.js';
import { programOf } from '../../usrsvcd/src/test-support/programs.js';
import { WebHarness } from './test-support/webHarness.js';

const WAIT = { timeout: 20_000 };

// The issue's acceptance tests: headless Chromium against the real usrsvcd, usrsvc-web and programs.
describe('dashboard with usrsvcd, in headless Chromium', () => {
  let h: WebHarness;
  let browser: TestBrowser;

  beforeEach(async () => {
    h = new WebHarness();
    h.writeProgram('alpha', h.uniqueSleep());
    h.writeProgram('beta', h.uniqueSleep());
    browser = await openBrowser();
  });

  afterEach(async () => {
    await browser.close();
    await h.cleanup();
  });

  const row = (name: string) => browser.page.locator(`tr[data-program="${name}"]`);
  const pidShown = (name: string, pid: number) =>
    row(name)
      .locator('.pid')
      .filter({ hasText: new RegExp(`^${pid}$`) })
      .waitFor(WAIT);

  async function openDashboard(): Promise<void> {
    await browser.page.goto(h.pageUrl());
    expect(browser.page.url()).toBe(`${h.origin}/`);
  }

  async function startAll(): Promise<{ alpha: number; beta: number }> {
    await h.startDaemonAndWait();
    await h.startWeb();
    const alpha = await h.servicePid(h.home.path('alpha.pid'));
    const beta = await h.servicePid(h.home.path('beta.pid'));
    await openDashboard();
    await browser.page.locator('#daemon').filter({ hasText: 'usrsvcd is running' }).waitFor(WAIT);
    return { alpha, beta };
  }

  it('lists the programs with their PIDs, state in words and the daemon status', async () => {
    const { alpha, beta } = await startAll();
    await pidShown('alpha', alpha);
    await pidShown('beta', beta);
    await row('alpha').locator('.state').filter({ hasText: 'running' }).waitFor(WAIT);
    await browser.page.locator('.exit-watch').filter({ hasText: /pidfd|poll/ }).waitFor(WAIT);
    await browser.page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
    expect(browser.problems).toEqual([]);
  });

  it('shows every kind of state, the last reread errors with file and line, and stays readable at phone width', async () => {
    h.writeProgram('worker', h.script('worker', 'echo "worker ready"; echo "worker: cache cold" >&2; while :; do sleep 1; done'), {
      stderr: h.home.path('worker.err'),
    });
    h.writeProgram('flaky', h.script('flaky', 'echo "flaky: cannot bind port 8080" >&2; exit 3'), { maxrestarts: 2 });
    h.writeProgram('legacy', h.uniqueSleep(), { enabled: 'False' });
    await startAll();
    await row('flaky').locator('.state').filter({ hasText: 'gave up after' }).waitFor(WAIT);
    await row('legacy').locator('.state').filter({ hasText: 'disabled' }).waitFor(WAIT);

    await row('beta').locator('button.stop').click();
    await row('beta').locator('button.confirm-yes').click();
    await row('beta').locator('.state').filter({ hasText: 'stopped by user' }).waitFor(WAIT);

    fs.writeFileSync(`${h.confDir}/broken.cfg`, '[Program:broken]\ncomand = sleep 1\n');
    await browser.page.locator('button.reread-button').click();
    const problems = browser.page.locator('#daemon .problems');
    await problems.filter({ hasText: 'broken.cfg:2 comand' }).waitFor(WAIT);

    await row('worker').locator('button.logs-toggle').click();
    await browser.page.locator('[data-log="worker"] .log-line.stderr').filter({ hasText: 'worker: cache cold' }).first().waitFor(WAIT);
    await browser.page.screenshot({ path: screenshotPath('dashboard-states.png'), fullPage: true });

    await browser.page.setViewportSize({ width: 390, height: 844 });
    await browser.page.waitForFunction(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement;
      return root.scrollWidth <= 390;
    }, undefined, WAIT);
    await browser.page.screenshot({ path: screenshotPath('dashboard-phone.png'), fullPage: true });
    expect(browser.problems).toEqual([]);
  });

  it('shows a running program usrsvcd does not manage as running with its PID, and /api/state says so', async () => {
    h.writeProgram('manual', h.uniqueSleep(), { autostart: 'False', autorestart: 'False' });
    await startAll();
    await row('manual').locator('.state').filter({ hasText: 'stopped (not managed)' }).waitFor(WAIT);
    const { program, ctx } = programOf(h, 'manual');
    const started = await startProgram(program, ctx, { byUser: true });
    expect(started.code).toBe(0);
    const pid = started.process!.pid;
    h.reaper.track(pid);
    await pidShown('manual', pid);
    await row('manual').locator('.state').filter({ hasText: /^running \(not managed\)$/ }).waitFor(WAIT);
    const state = (await (await h.request('/api/state')).json()) as { programs: ProgramView[] };
    expect(state.programs.find((p) => p.name === 'manual')).toMatchObject({ running: true, process: { pid }, state: { state: 'not-managed', pid } });
  });

  it('shows the new PID of a program killed with SIGKILL, without a reload', async () => {
    const { alpha } = await startAll();
    await pidShown('alpha', alpha);
    await browser.page.evaluate(() => {
      (globalThis as unknown as { sameLoad: boolean }).sameLoad = true;
    });
    process.kill(alpha, 'SIGKILL');
    const next = await h.servicePid(h.home.path('alpha.pid'), alpha);
    await pidShown('alpha', next);
    expect(await browser.page.evaluate(() => (globalThis as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true);
    await row('alpha').locator('.last-exit').filter({ hasText: 'SIGKILL' }).waitFor(WAIT);
  });

  it('stops a program after confirmation ("stopped by user"), and Start brings it back', async () => {
    const { alpha } = await startAll();
    await pidShown('alpha', alpha);
    await row('alpha').locator('button.stop').click();
    await row('alpha').locator('.confirm').filter({ hasText: 'Stop alpha?' }).waitFor(WAIT);
    expect(h.pidOf('alpha')).toBe(alpha);
    await row('alpha').locator('button.confirm-yes').click();
    await row('alpha').locator('.state').filter({ hasText: 'stopped by user' }).waitFor(WAIT);
    await waitFor('alpha to be gone', () => !fs.existsSync(`/proc/${alpha}`) || fs.readFileSync(`/proc/${alpha}/stat`, 'utf8').includes(') Z'));

    await row('alpha').locator('button.start').click();
    const next = await h.servicePid(h.home.path('alpha.pid'), alpha);
    await pidShown('alpha', next);
    await row('alpha').locator('.state').filter({ hasText: /^running$/ }).waitFor(WAIT);
  });

  it('shows a line appended to the program stdout in its log panel, and markup in it as text that runs nothing', async () => {
    await startAll();
    await row('alpha').locator('button.logs-toggle').click();
    const panel = browser.page.locator('[data-log="alpha"]');
    await panel.waitFor(WAIT);
    const marker = `hello from alpha ${Date.now()}`;
    fs.appendFileSync(h.home.path('alpha.out'), `${marker}\n`);
    await panel.locator('.log-line').filter({ hasText: marker }).waitFor(WAIT);

    const hostile = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> ${Date.now()}`;
    fs.appendFileSync(h.home.path('alpha.out'), `${hostile}\n`);
    await panel.locator('.log-line').filter({ hasText: hostile }).waitFor(WAIT);
    expect(await panel.locator('script, img').count()).toBe(0);
    expect(await browser.page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(browser.problems).toEqual([]);
  });

  it('answers 401 without the token, 403 to a POST from a foreign origin, and changes nothing on a GET', async () => {
    const { alpha } = await startAll();
    // Another browser profile without the cookie.
    const stranger = await openBrowser();
    try {
      expect((await stranger.page.goto(`${h.origin}/`))?.status()).toBe(401);
      expect((await stranger.page.goto(`${h.origin}/api/state`))?.status()).toBe(401);
    } finally {
      await stranger.close();
    }

    // A page of another origin (same site: 127.0.0.1, so the SameSite cookie goes along) posts to usrsvc-web.
    const evil = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><form method=post action="${h.origin}/api/programs/alpha/stop"><button id=go>win a prize</button></form>
        <script>fetch(${JSON.stringify(`${h.origin}/api/programs/alpha/stop`)}, { method: 'POST', credentials: 'include', mode: 'no-cors' })
          .finally(() => { document.title = 'fetched'; });</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      await browser.page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      await browser.page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title === 'fetched', undefined, WAIT);
      const [form] = await Promise.all([browser.page.waitForNavigation(WAIT), browser.page.click('#go')]);
      expect(form?.status()).toBe(403);
    } finally {
      evil.closeAllConnections();
      await new Promise((resolve) => evil.close(resolve));
    }
    await waitFor('both refusals in the log', () => (h.webLog.match(/403 foreign Origin/g) ?? []).length >= 2);

    // GETs of every state-changing path: none acts.
    await openDashboard();
    for (const path of ['/api/programs/alpha/stop', '/api/programs/all/stop', '/api/reread']) {
      expect((await browser.page.goto(`${h.origin}${path}`))?.status()).toBe(404);
    }
    expect(h.pidOf('alpha')).toBe(alpha);
    expect(fs.existsSync(h.home.path('.local/state/usrsvc/stopped/alpha'))).toBe(false);
  });

  it('says plainly when usrsvcd stops, Start still works through the launcher, and follows usrsvcd again when it is back', async () => {
    const { alpha } = await startAll();
    const daemon = h.daemonProcess();
    daemon.kill('SIGTERM');
    await waitFor('usrsvcd to exit', () => daemon.exitCode !== null || daemon.signalCode !== null, { timeoutMs: 15_000 });
    await browser.page.locator('#daemon').filter({ hasText: 'usrsvcd is not running' }).waitFor(WAIT);
    expect(h.pidOf('alpha')).toBe(alpha);

    await row('alpha').locator('button.stop').click();
    await row('alpha').locator('button.confirm-yes').click();
    await row('alpha').locator('.state').filter({ hasText: 'stopped by user' }).waitFor(WAIT);
    await row('alpha').locator('button.start').click();
    const next = await h.servicePid(h.home.path('alpha.pid'), alpha);
    await pidShown('alpha', next);

    await h.startDaemonAndWait();
    await browser.page.locator('#daemon').filter({ hasText: 'usrsvcd is running' }).waitFor(WAIT);
    await pidShown('alpha', next);
  });
});
