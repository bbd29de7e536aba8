import { readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { uniqueSleep } from './test-support/testConfig.js';
import { startUsrsvcd, stopStartedUsrsvcds } from './test-support/usrsvcd.js';

describe('usrsvc status with usrsvcd running (its view through the local API)', () => {
  let t: CliTestHome;
  afterEach(async () => {
    await stopStartedUsrsvcds();
    t.cleanup();
  });

  it('shows RESTARTS and what usrsvcd knows; status NAME adds the last exit; --json carries it all', async () => {
    t = makeCliTestHome((home) => ({
      web: { command: uniqueSleep() },
      bad: { command: `/bin/sh ${home.write('bad.sh', 'exit 3\n', 0o755)}`, maxrestarts: 2 },
      idle: { command: uniqueSleep(), autostart: false },
    }));
    const without = await t.usrsvc(['status']);
    expect(without.stdout.split('\n')[0]).toMatch(/^NAME\s+STATE\s+PID\s+UPTIME\s+MEMORY$/);
    expect(without.stderr).toContain('usrsvcd is not running');

    await startUsrsvcd(t, {});
    const table = await waitFor(
      'web running and bad given up',
      async () => {
        const run = await t.usrsvc(['status']);
        return /^web\s+running\s/m.test(run.stdout) && /^bad\s+gave up after 2 start attempts/m.test(run.stdout) ? run : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+STATE\s+PID\s+UPTIME\s+MEMORY\s+RESTARTS$/);
    expect(table.stdout).toMatch(/^idle\s+stopped\s+-\s+-\s+-\s+0$/m);
    expect(table.stderr).not.toContain('usrsvcd is not running');

    expect((await t.usrsvc(['stop', 'web'])).code).toBe(0);
    const stopped = await waitFor('web stopped by user', async () => {
      const run = await t.usrsvc(['status']);
      return /^web\s+stopped by user \d+s ago\s/m.test(run.stdout) ? run : undefined;
    });
    expect(stopped.code).toBe(0);

    const one = await t.usrsvc(['status', 'bad']);
    expect(one.stdout).toMatch(/usrsvcd: gave up after 2 start attempts.*; 1 restart, 2 start attempts counted toward maxrestarts/);
    expect(one.stdout).toMatch(/Last exit: .*failed to start/);
    const json = JSON.parse((await t.usrsvc(['status', 'web', '--json'])).stdout);
    expect(json.usrsvcd).toMatchObject({ name: 'web', state: { state: 'stopped-by-user' }, lastExit: { cause: { by: 'user' } } });
    expect(readPidfile(t.pidfiles.web!)).toBeUndefined();
  });

  it('a running program usrsvcd does not manage is running, with its PID, in the table, --json and status NAME', async () => {
    t = makeCliTestHome({ manual: { command: uniqueSleep(), autostart: false, autorestart: false } });
    await startUsrsvcd(t, {});
    await waitFor('manual reported stopped (not managed)', async () => /^manual\s+stopped \(not managed\)\s+-\s/m.test((await t.usrsvc(['status'])).stdout));

    expect((await t.usrsvc(['start', 'manual'])).code).toBe(0);
    const pid = readPidfile(t.pidfiles.manual!)!;
    t.reaper.track(pid);
    const table = await waitFor('manual running in the table', async () => {
      const run = await t.usrsvc(['status']);
      return new RegExp(`^manual\\s+running \\(not managed\\)\\s+${pid}\\s`, 'm').test(run.stdout) ? run : undefined;
    });
    expect(table.code).toBe(0);
    const [entry] = JSON.parse((await t.usrsvc(['status', '--json'])).stdout);
    expect(entry).toMatchObject({ name: 'manual', running: true, pid, usrsvcd: { running: true, state: { state: 'not-managed', pid } } });
    const one = await t.usrsvc(['status', 'manual']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/usrsvcd: running \(not managed\);/);
    const json = JSON.parse((await t.usrsvc(['status', 'manual', '--json'])).stdout);
    expect(json).toMatchObject({ running: true, pid, usrsvcd: { running: true, process: { pid } } });
  });
});
