import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { startProgram, stopProgram } from '@usrsvc/launcher';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';
import { programOf } from './test-support/programs.js';

// The safety scan never runs during these tests: what the daemon learns, it learns by inotify.
const NO_SCAN = { USRSVCD_SCAN_INTERVAL_MS: String(3_600_000) };
let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('usrsvcd sees what the CLI and others do at once (inotify)', () => {
  it('after giving up, "usrsvc start" is seen at once and resets the counter; a later SIGKILL is restarted', async () => {
    h = new DaemonHarness();
    const marker = h.home.path('works');
    const command = h.script('fixme', `[ -e ${marker} ] && exec sleep 86400.${process.pid}78\nexit 3`);
    const pidfile = h.writeProgram('bad', command, { maxrestarts: 2, proctitle_re: `fixme\\.sh$|sleep 86400\\.${process.pid}78$` });
    await h.startDaemonAndWait(NO_SCAN);
    await h.waitForLog(/\(bad\) - .*has reached the maximum number of restarts 2/, { timeoutMs: 20_000 });

    fs.writeFileSync(marker, '');
    const { program, ctx } = programOf(h, 'bad');
    expect((await startProgram(program, ctx, { byUser: true })).code).toBe(0);
    const pid = await h.servicePid(pidfile);
    await h.waitForLog(/\(bad\) - is running again as pid \d+: automatic restarts resume/);
    expect((await h.api().program('bad')).state).toMatchObject({ state: 'running', pid });

    process.kill(pid, 'SIGKILL');
    const again = await h.servicePid(pidfile, pid);
    expect(again).not.toBe(pid);
    await h.waitForLog(/\(bad\) - has stopped running .*Trying to start \[Attempt 1\]/);
  });

  it('"usrsvc stop" is logged as a user stop, and the API says stopped by user', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('web', h.uniqueSleep());
    await h.startDaemonAndWait(NO_SCAN);
    await h.servicePid(pidfile);
    const { program, ctx } = programOf(h, 'web');
    expect((await stopProgram(program, ctx, { byUser: true })).code).toBe(0);
    await h.waitForLog(/\(web\) - has stopped running .*it was stopped with "usrsvc stop": not restarting/);
    const view = await h.api().program('web');
    expect(view.state.state).toBe('stopped-by-user');
    expect(view.lastExit?.cause).toEqual({ by: 'user' });
  });

  it('a user-stop mark set while a program waits to restart stops the waiting, at once', async () => {
    h = new DaemonHarness();
    h.writeProgram('slow', h.script('slow', 'exit 2'), { restart_delay: 3600 });
    await h.startDaemonAndWait(NO_SCAN);
    await h.waitForLog(/\(slow\) - has stopped running .*Next start attempt \(2\)/, { timeoutMs: 20_000 });
    const waiting = await h.api().program('slow');
    expect(waiting.state).toMatchObject({ state: 'backoff', attempt: 2, delayMs: 3_600_000 });
    // The autostart failed: one attempt toward maxrestarts, no restart yet.
    expect(waiting.restarts).toBe(0);
    expect(waiting.startAttempts).toBe(1);
    expect(waiting.lastExit?.cause).toMatchObject({ by: 'start-failed' });
    const { program, ctx } = programOf(h, 'slow');
    await stopProgram(program, ctx, { byUser: true });
    await h.waitForLog(/\(slow\) - .*it was stopped with "usrsvc stop"/);
    expect((await h.api().program('slow')).state.state).toBe('stopped-by-user');
  });

  it('a program started by hand and given a pidfile is adopted at once', async () => {
    h = new DaemonHarness();
    const command = h.uniqueSleep();
    const pidfile = h.writeProgram('byhand', command, { autostart: 'False' });
    await h.startDaemonAndWait(NO_SCAN);
    await h.waitForLog(/\(byhand\) - is not running and autostart=False/);
    const [file, ...args] = command.split(' ');
    const child = spawn(file!, args, { detached: true, stdio: 'ignore' });
    child.unref();
    h.reaper.track(child.pid);
    fs.writeFileSync(pidfile, `${child.pid}\n`);
    await h.waitForLog(new RegExp(`\\(byhand\\) - is running as pid ${child.pid}, not started by usrsvcd`));
    expect((await h.api().program('byhand')).state).toMatchObject({ state: 'running', pid: child.pid });
  });

  it('says which folders it cannot watch (left to the safety scan)', async () => {
    h = new DaemonHarness();
    const missing = h.home.path('no-such-dir', 'x.pid');
    const lines = [`[Program:lost]`, `command = ${h.uniqueSleep()}`, `pidfile = ${missing}`, `stdout = ${h.home.path('lost.out')}`, 'autostart = False'];
    fs.writeFileSync(`${h.confDir}/lost.cfg`, `${lines.join('\n')}\n`);
    await h.startDaemonAndWait(NO_SCAN);
    await h.waitForLog(/cannot watch .*no-such-dir \(ENOENT\): changes there \(lost\) are seen by the safety scan only/);
  });
});
