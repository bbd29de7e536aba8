import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium package (CI installs it with apt-get); no browser is downloaded at test time. */
export const CHROMIUM = '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Errors the page threw and CSP violations it reported. */
  problems: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, nothing fetched from the network but what the page asks. */
export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<TestBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-test-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Where tests save screenshots (not committed; docs/dashboard.png is a copy of one). */
export function screenshotPath(name: string): string {
  const dir = path.join(path.dirname(path.dirname(path.dirname(new URL(import.meta.url).pathname))), 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
