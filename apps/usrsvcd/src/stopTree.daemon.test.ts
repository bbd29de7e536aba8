import fs from 'node:fs';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

// Issue 14, point 4 and the daemon's part of point 5, with real process trees.
const FAST = { USRSVCD_SCAN_INTERVAL_MS: '300' };

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** PIDs of live processes whose command line is exactly `cmdline`, with their parent. */
function processesRunning(cmdline: string): { pid: number; ppid: number }[] {
  const found: { pid: number; ppid: number }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') !== cmdline) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && fields[0] !== 'X') found.push({ pid: Number(entry), ppid: Number(fields[1]) });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('usrsvcd stops whole trees (stop_as_group)', () => {
  it('a monitor restart stops every worker of the tree, not only the main process', async () => {
    h = new DaemonHarness();
    h.writeMain('monitor_interval = 0.3\nmonitor_timeout = 2');
    const worker = h.uniqueSleep();
    const pidfile = h.writeProgram('pool', h.script('pool', `${worker} &\n${worker} &\nwait`), { stop_as_group: 'True' });
    fs.appendFileSync(`${h.confDir}/pool.cfg`, `  [[Monitoring]]\n    monitor_after = 0\n    activityfile = ${h.home.path('never-written')}\n    activityfile_limit = 1\n`);
    await h.startDaemonAndWait(FAST);
    const first = await h.servicePid(pidfile);
    const workers = await waitFor('two workers', () => {
      const found = processesRunning(worker).filter((p) => p.ppid === first);
      return found.length === 2 && found;
    });
    for (const w of workers) h.reaper.track(w.pid);

    await h.waitForLog(/\(pool\) - WARNING: MONITOR: activityfile asks for a restart/);
    const second = await h.servicePid(pidfile, first);
    for (const w of processesRunning(worker)) h.reaper.track(w.pid);
    expect(second).not.toBe(first);
    expect(isLive(first)).toBe(false);
    expect(workers.filter((w) => isLive(w.pid))).toEqual([]);
  });

  it('after a crash, stops a child that was forked after the start and called setsid, known from its passes', async () => {
    h = new DaemonHarness();
    const worker = h.uniqueSleep();
    const go = h.home.path('go');
    const main = h.script('late', `while [ ! -e ${go} ]; do sleep 0.05; done\nsetsid ${worker} &\nwait`);
    const pidfile = h.writeProgram('late', main, { stop_as_group: 'True' });
    await h.startDaemonAndWait(FAST);
    const first = await h.servicePid(pidfile);
    await h.waitForLog(new RegExp(`\\(late\\) - started as pid ${first}`));
    fs.writeFileSync(go, '');
    const [escaped] = await waitFor('the late worker', () => processesRunning(worker).length === 1 && processesRunning(worker));
    h.reaper.track(escaped!.pid);
    // Neither in the launch's group nor below the main process once it is gone: only a pass of
    // usrsvcd, which records the tree while the main process lives, can know it.
    const record = h.home.path('.local', 'state', 'usrsvc', 'trees', 'late.json');
    await waitFor('a pass to record the worker', () => fs.existsSync(record) && fs.readFileSync(record, 'utf8').includes(`"pid":${escaped!.pid},`));

    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    await waitFor('the escaped worker to be stopped', () => !isLive(escaped!.pid));
    expect(h.log()).toMatch(/late: stopping 1 leftover process\(es\) of its earlier run/);
  });
});
