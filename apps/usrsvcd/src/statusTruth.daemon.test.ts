import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { stopProgram } from '@usrsvc/launcher';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, exitOf } from './test-support/daemonHarness.js';
import { programOf } from './test-support/programs.js';

// Issue 25, Why 3, 4 and 6: what usrsvcd reports is true for every program, across its restarts.
const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('what usrsvcd reports', () => {
  it('a running program it does not manage (autostart=False, autorestart=False): running with its pid in the API and metrics', async () => {
    h = new DaemonHarness();
    const command = h.uniqueSleep();
    const pidfile = h.writeProgram('manual', command, { autostart: 'False', autorestart: 'False' });
    await h.startDaemonAndWait(FAST);
    await h.waitForLog(/\(manual\) - autostart=False and autorestart=False: not managed by usrsvcd\./);
    const [file, ...args] = command.split(' ');
    const child = spawn(file!, args, { detached: true, stdio: 'ignore' });
    child.unref();
    h.reaper.track(child.pid);
    fs.writeFileSync(pidfile, `${child.pid}\n`);

    const view = await waitFor('the API to report manual running', async () => {
      const found = await h.api().program('manual');
      return found.running ? found : undefined;
    });
    expect(view.state).toEqual({ state: 'not-managed', why: 'no-autostart-no-autorestart', pid: child.pid });
    expect(view.process?.pid).toBe(child.pid);
    const metrics = await waitFor('usrsvc_program_up 1', async () => {
      const text = await h.api().metrics();
      return /^usrsvc_program_up\{program="manual",user="[^"]+"\} 1$/m.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/^usrsvc_program_up\{program="manual",user="[^"]+"\} 1$/m);
    expect(metrics).toMatch(/^usrsvc_program_state\{program="manual",user="[^"]+",state="running"\} 1$/m);

    // It exits: reported stopped, and never restarted.
    process.kill(child.pid!, 'SIGKILL');
    await waitFor('the API to report manual stopped', async () => !(await h.api().program('manual')).running);
    expect((await h.api().program('manual')).state).toEqual({ state: 'not-managed', why: 'no-autostart-no-autorestart' });
    await waitFor('usrsvc_program_up 0', async () => /^usrsvc_program_up\{program="manual",user="[^"]+"\} 0$/m.test(await h.api().metrics()));
  });

  it('counts restarts, not attempts: two kill -9 are 2 restarts; the attempts toward maxrestarts have their own field', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('crashy', h.uniqueSleep(), { maxrestarts: 5 });
    await h.startDaemonAndWait(FAST);
    const first = await h.servicePid(pidfile);
    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);
    process.kill(second, 'SIGKILL');
    const third = await h.servicePid(pidfile, second);
    const view = await waitFor('crashy running as the third process', async () => {
      const found = await h.api().program('crashy');
      return found.state.state === 'running' && found.state.pid === third ? found : undefined;
    });
    expect(view.restarts).toBe(2);
    expect(view.restartCounts).toEqual({ crash: 2, monitor: 0, watchdog: 0, manual: 0, change: 0 });
    // The autostart and both restarts count toward maxrestarts=5 (none ran for a sustained period).
    expect(view.startAttempts).toBe(3);
  });

  it('"stopped by user" keeps the time of the stop across a restart of usrsvcd', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('web', h.uniqueSleep());
    const daemon = await h.startDaemonAndWait(FAST);
    await h.servicePid(pidfile);
    const { program, ctx } = programOf(h, 'web');
    expect((await stopProgram(program, ctx, { byUser: true })).code).toBe(0);
    const stopped = await waitFor('web stopped by user', async () => {
      const view = await h.api().program('web');
      return view.state.state === 'stopped-by-user' ? view.state : undefined;
    });
    const mark = JSON.parse(fs.readFileSync(`${h.stateDir}/stopped/web`, 'utf8')) as { stoppedAt: string };
    expect(stopped.since).toBe(mark.stoppedAt);

    daemon.kill('SIGTERM');
    await exitOf(daemon);
    await h.startDaemonAndWait(FAST);
    const again = await waitFor('web stopped by user after the restart', async () => {
      const view = await h.api().program('web');
      return view.state.state === 'stopped-by-user' ? view.state : undefined;
    });
    expect(again.since).toBe(mark.stoppedAt);
  });
});
