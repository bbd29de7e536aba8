import fs from 'node:fs';
import { withProgramLock } from '@usrsvc/launcher';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';
import { programOf } from './test-support/programs.js';

// Issue 25, Why 2: a monitor restart that meets a held lock must not drop the program from supervision.
let h: DaemonHarness;
let releaseLock: (() => void) | undefined;
afterEach(async () => {
  releaseLock?.();
  releaseLock = undefined;
  await h.cleanup();
});

describe('a monitor restart that meets a held lock', () => {
  it('goes back to observing the program: the API says running, and a later kill -9 is restarted', async () => {
    h = new DaemonHarness();
    h.writeMain('monitor_interval = 0.3\nmonitor_timeout = 2');
    const activity = h.home.path('activity');
    const healthy = h.home.path('healthy');
    // Touches its activity file only once `healthy` exists: until then the monitor asks for restarts.
    const command = h.script('watched', `while :; do [ -e ${healthy} ] && touch ${activity}; sleep 0.2; done`);
    const pidfile = h.writeProgram('watched', command);
    await h.startDaemonAndWait({ USRSVCD_SCAN_INTERVAL_MS: '500', USRSVC_LOCK_TIMEOUT: '1' });
    const first = await h.servicePid(pidfile);
    await waitFor('watched running in the API', async () => (await h.api().program('watched')).state.state === 'running');

    // Someone else (a slow `usrsvc stop`, say) holds the program's lock for as long as the test says.
    const { program, ctx } = programOf(h, 'watched');
    let holding = false;
    const held = withProgramLock(program, ctx, () => {
      holding = true;
      return new Promise<void>((resolve) => {
        releaseLock = resolve;
      });
    });
    await waitFor('the test to hold the lock', () => holding);
    fs.appendFileSync(`${h.confDir}/watched.cfg`, `  [[Monitoring]]\n    monitor_after = 0\n    activityfile = ${activity}\n    activityfile_limit = 5\n`);
    await h.api().reread();

    await h.waitForLog(/\(watched\) - ERROR: monitor restart failed: could not lock watched within 1 s.*; observing the program again\./, { timeoutMs: 20_000 });
    // Back to observing: the same process, running and supervised (not "restarting (monitor)" for ever).
    await waitFor('watched observed running again', async () => {
      const view = await h.api().program('watched');
      return view.state.state === 'running' && view.state.pid === first;
    });

    // Healthy again: the monitor is satisfied, and nothing restarts the program meanwhile.
    const healthySince = new Date().toISOString();
    fs.writeFileSync(healthy, '');
    await waitFor('an ok verdict after the program became healthy', async () => {
      const view = await h.api().program('watched');
      return view.monitors.some((m) => m.monitor === 'activityfile' && m.verdict === 'ok' && m.checkedAt > healthySince) && view.state.state === 'running';
    }, { timeoutMs: 20_000 });
    releaseLock?.();
    await held;
    const view = await h.api().program('watched');
    expect(view.state).toMatchObject({ state: 'running', pid: first });

    // Still supervised: a kill -9 is restarted.
    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    await waitFor('the restart in the API', async () => {
      const after = await h.api().program('watched');
      return after.state.state === 'running' && after.state.pid === second;
    });
    const after = await h.api().program('watched');
    expect(after.restartCounts.crash).toBe(1);
  });
});
