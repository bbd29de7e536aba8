import fs from 'node:fs';
import { nativeNotifySocket, nativeOrphanSpawn, nativeTryLockFile } from '@usrsvc/exitwatch';
import { startProgram } from '@usrsvc/launcher';
import { pingsDelivered, waitFor, writeWatchdogPinger } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';
import { programOf } from './test-support/programs.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** Waits until `pid` has had `more` pings delivered beyond `after` (more than watchdog_seconds' worth). */
function morePings(pid: number, after: number, more: number): Promise<number> {
  return waitFor(`${more} more WATCHDOG=1 delivered from pid ${pid}`, () => (pingsOf(pid) >= after + more ? pingsOf(pid) : undefined), { timeoutMs: 30_000 });
}

const pingsOf = (pid: number) => pingsDelivered(h.home, pid);

describe('usrsvcd takes over the sd_notify watchdog of programs it did not start', () => {
  it('watches a program "usrsvc start" started, and again after usrsvcd is killed with SIGKILL and started again', async () => {
    h = new DaemonHarness();
    h.writeMain('monitor_interval = 0.3\nmonitor_timeout = 2');
    const pinging = h.home.path('keep-pinging');
    fs.writeFileSync(pinging, '');
    const pidfile = h.writeProgram('dog', writeWatchdogPinger(h.home, 'dog', { intervalSeconds: 0.5, whilePresent: pinging }), { ready_check: 'notify', watchdog_seconds: 3 });
    fs.appendFileSync(`${h.confDir}/dog.cfg`, '  [[Monitoring]]\n    monitor_after = 0\n');

    // The CLI's way: its own notify socket while it waits for READY=1, closed when it returns.
    const { program, ctx } = programOf(h, 'dog');
    const cliCtx = { ...ctx, orphanSpawn: nativeOrphanSpawn(), tryLockFile: nativeTryLockFile(), notifySocket: nativeNotifySocket() };
    expect((await startProgram(program, cliCtx, { byUser: true })).code).toBe(0);
    const first = await h.servicePid(pidfile);

    const daemon = await h.startDaemonAndWait();
    await h.waitForLog(new RegExp(`\\(dog\\) - listening on its notify socket again \\(.+/notify/dog\\.sock\\) for pid ${first}\\.`));
    // 8 pings at 0.5 s: longer than watchdog_seconds = 3, so only pings usrsvcd received keep it running.
    await morePings(first, pingsOf(first), 8);
    expect(readPid(pidfile)).toBe(first);
    expect(isLive(first)).toBe(true);
    const view = await h.api().program('dog');
    expect(view.readiness).toMatchObject({ check: 'notify', ready: true, status: 'serving' });
    expect(h.logLines(/WATCHDOG: watchdog timeout/)).toEqual([]);

    fs.rmSync(pinging);
    await h.waitForLog(new RegExp(`\\(dog\\) - WARNING: WATCHDOG: watchdog timeout of pid ${first}: no WATCHDOG=1`));
    fs.writeFileSync(pinging, '');
    const second = await h.servicePid(pidfile, first);
    expect(isLive(first)).toBe(false);
    const counted = await waitFor('the watchdog restart counted', async () => {
      const v = await h.api().program('dog');
      return v.state.state === 'running' ? v.restartCounts : undefined;
    });
    expect(counted).toMatchObject({ watchdog: 1, monitor: 0, crash: 0 });
    expect(await h.api().metrics()).toMatch(/usrsvc_program_restarts_total\{[^}]*program="dog"[^}]*reason="watchdog"[^}]*\} 1/);

    // usrsvcd killed: the program runs on, and the next usrsvcd binds its socket path again.
    await morePings(second, 0, 1);
    daemon.kill('SIGKILL');
    await waitFor('usrsvcd to be gone', () => !isLive(daemon.pid!));
    await h.startDaemonAndWait();
    await h.waitForLog(new RegExp(`\\(dog\\) - listening on its notify socket again \\(.+/notify/dog\\.sock\\) for pid ${second}\\.`));
    await morePings(second, pingsOf(second), 8);
    expect(readPid(pidfile)).toBe(second);
    expect(isLive(second)).toBe(true);
    expect((await h.api().program('dog')).readiness).toMatchObject({ ready: true, status: 'serving' });

    fs.rmSync(pinging);
    await h.waitForLog(new RegExp(`\\(dog\\) - WARNING: WATCHDOG: watchdog timeout of pid ${second}: no WATCHDOG=1`));
    const third = await h.servicePid(pidfile, second);
    expect(third).not.toBe(second);
  });
});

function readPid(pidfile: string): number {
  return Number(fs.readFileSync(pidfile, 'utf8').trim());
}
