import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { BIN, type CliRun, runCli } from './test-support/runCli.js';
import { uniqueSleep } from './test-support/testConfig.js';
import { startUsrsvcd, stopStartedUsrsvcds } from './test-support/usrsvcd.js';

// Where the addon was not built at install (no compiler), an answered status asks isatty and
// usrsvcd through node:tty and node:net instead (src/daemonStatus): the same answer either way.
describe('usrsvc status answered by usrsvcd without the native addon', () => {
  let t: CliTestHome;
  afterEach(async () => {
    await stopStartedUsrsvcds();
    t.cleanup();
  });

  it('is answered over node:net with what the addon-built CLI prints, and falls back the same way', async () => {
    t = makeCliTestHome({ web: { command: uniqueSleep() }, idle: { command: uniqueSleep(), autostart: false } });
    // The package as installed without the addon: dist/ alone, no build/Release beside it.
    const noAddon = t.home.path('package', 'dist');
    fs.cpSync(path.dirname(BIN), noAddon, { recursive: true });
    expect(fs.existsSync(path.join(noAddon, '..', 'build'))).toBe(false);
    const bin = path.join(noAddon, path.basename(BIN));
    let traces = 0;
    const both = async (args: string[]): Promise<{ withAddon: CliRun; without: CliRun; ways: string[] }> => {
      traces += 1;
      const files = ['with', 'without'].map((which) => t.home.path(`trace-${traces}-${which}`));
      const withAddon = await t.usrsvc(args, { extraEnv: { USRSVC_DAEMON_STATUS_TRACE: files[0] } });
      const without = await runCli(args, { env: { ...t.home.env(), USRSVC_DAEMON_STATUS_TRACE: files[1] }, bin });
      return { withAddon, without, ways: files.map((file) => fs.readFileSync(file, 'utf8').trim()) };
    };

    const before = await both(['status', 'web']);
    expect(before.ways[0]).toMatch(/^fallback: connect ENOENT \//);
    expect(before.ways[1]).toBe(before.ways[0]);
    expect(before.without.stdout).toBe(before.withAddon.stdout);

    await startUsrsvcd(t, {});
    await waitFor('web running by usrsvcd', async () => JSON.parse((await t.usrsvc(['status', 'web', '--json'])).stdout).usrsvcd?.state?.state === 'running', { timeoutMs: 30_000 });
    for (const args of [['status'], ['status', '--json'], ['status', 'idle'], ['status', 'nosuch']]) {
      const run = await both(args);
      expect(run.ways, args.join(' ')).toEqual(['answered by usrsvcd', 'answered by usrsvcd']);
      const stamps = (text: string) => text.replace(/\d+/g, '#').replace(/ +/g, ' ');
      expect({ code: run.without.code, stdout: stamps(run.without.stdout), stderr: stamps(run.without.stderr) }, args.join(' ')).toEqual({
        code: run.withAddon.code,
        stdout: stamps(run.withAddon.stdout),
        stderr: stamps(run.withAddon.stderr),
      });
    }
  }, 60_000);
});
