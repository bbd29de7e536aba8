import { spawn } from 'node:child_process';
import { readProcess } from '@usrsvc/procscan';
import { Reaper, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runMonitorCheck } from './runMonitorCheck.js';
import { createRssLimitMonitor, rssLimitMonitorPlugin } from './rssLimitMonitor.js';
import { programWith } from './test-support/program.js';

const reaper = new Reaper();
afterEach(() => reaper.killAll());

/** Starts perl, which grows to about 50 MB resident after `delaySeconds`, then sleeps. */
function startGrowingProcess(delaySeconds: number): number {
  // The size comes from argv so that perl cannot fold the string at compile time (before the sleep).
  const script = 'sleep $ARGV[0]; $x = "a" x $ARGV[1]; sleep 600';
  const child = spawn('perl', ['-e', script, String(delaySeconds), '50000000'], { stdio: 'ignore' });
  reaper.track(child.pid);
  child.unref();
  return child.pid!;
}

describe('rss_limit monitor', () => {
  it('restarts a real process once its VmRSS grows past the limit', async () => {
    const pid = startGrowingProcess(1);
    const before = await waitFor('perl to start', () => {
      const info = readProcess(pid);
      return info?.name === 'perl' ? info : undefined;
    });
    expect(before.rssKb).toBeLessThan(20_000);
    const monitor = createRssLimitMonitor({ limitKb: 30_000 });
    expect(await runMonitorCheck(monitor, { process: before }, 5000)).toMatchObject({ kind: 'ok', monitor: 'rss' });

    const grown = await waitFor('perl to grow past 45 MB', () => {
      const info = readProcess(pid);
      return info && info.rssKb > 45_000 ? info : undefined;
    });
    // The check reads the RSS afresh: the old ProcessInfo (small rssKb) is enough.
    const outcome = await runMonitorCheck(monitor, { process: before }, 5000);
    expect(outcome.kind).toBe('restart');
    expect(outcome.kind === 'restart' && outcome.reason).toMatch(new RegExp(`^RSS \\d+ kB of pid ${pid} exceeds rss_limit of 30000 kB$`));
    expect(grown.rssKb).toBeGreaterThan(30_000);

    expect((await runMonitorCheck(createRssLimitMonitor({ limitKb: 500_000 }), { process: grown }, 5000)).kind).toBe('ok');
  });

  it('is fine for a process that is gone or whose PID now names another process', async () => {
    const pid = startGrowingProcess(0);
    const info = await waitFor('perl to grow', () => {
      const current = readProcess(pid);
      return current && current.rssKb > 45_000 ? current : undefined;
    });
    const monitor = createRssLimitMonitor({ limitKb: 1000 });
    expect((await runMonitorCheck(monitor, { process: { ...info, startTicks: info.startTicks - 1 } }, 5000)).kind).toBe('ok');
    process.kill(pid, 'SIGKILL');
    await waitFor('perl to die', () => {
      const current = readProcess(pid);
      return current === undefined || current.state === 'Z';
    });
    const outcome = await runMonitorCheck(monitor, { process: info }, 5000);
    expect(outcome.kind).toBe('ok'); // gone, or a zombie (which holds no memory)
  });

  it('plugin: creates a monitor only when rss_limit > 0', () => {
    expect(rssLimitMonitorPlugin.create(programWith({}))).toBeUndefined();
    expect(rssLimitMonitorPlugin.create(programWith({ rss_limit: 0 }))).toBeUndefined();
    expect(rssLimitMonitorPlugin.create(programWith({ rss_limit: 1024 }))?.name).toBe('rss');
  });
});
