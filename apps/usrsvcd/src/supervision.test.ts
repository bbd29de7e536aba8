import fs from 'node:fs';
import { isStoppedByUser, startProgram, stopProgram } from '@usrsvc/launcher';
import { isInitOrSubreaper, procStat, readPidfile, sleep, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';
import { programOf, stampOf } from './test-support/programs.js';

const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('supervision by the real daemon', () => {
  it.each([
    ['pidfd when available', {}, /exit watch: (pidfd|poll)/],
    ['forced polling', { USRSVC_EXITWATCH: 'poll' }, /exit watch: poll every \d+ ms \(polling forced by USRSVC_EXITWATCH=poll\)/],
  ])('autostarts, restarts after SIGKILL with a new pid whose parent is init, never the daemon (%s)', async (_mode, env, watchLine) => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('web', h.uniqueSleep());
    const idleFile = h.writeProgram('idle', h.uniqueSleep(), { autostart: 'False' });
    const daemon = await h.startDaemonAndWait({ ...FAST, ...env });
    await h.waitForLog(watchLine);

    const first = await h.servicePid(pidfile);
    expect(isInitOrSubreaper(procStat(first)!.ppid)).toBe(true);
    expect(procStat(first)!.ppid).not.toBe(daemon.pid);
    await h.waitForLog(/\(web\) - started as pid/);
    expect(h.log()).toMatch(/\(web\) - was not running and autostart=True\. Trying to start \[Attempt 1\]/);
    expect(h.log()).toMatch(/\(idle\) - is not running and autostart=False/);

    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    expect(isInitOrSubreaper(procStat(second)!.ppid)).toBe(true);
    expect(procStat(second)!.ppid).not.toBe(daemon.pid);
    expect(h.log()).toMatch(/\(web\) - has stopped running \(pid \d+ exited after [\d.]+ s(, killed by SIGKILL)?\), and autorestart=True\. Trying to start \[Attempt 2/);
    expect(readPidfile(idleFile)).toBeUndefined();
  });

  it('gives up after maxrestarts with an always-failing program, once, and resumes when it is seen running', async () => {
    h = new DaemonHarness();
    const marker = h.home.path('works');
    const command = h.script('failing', `[ -e ${marker} ] && exec sleep 86400.${process.pid}77\necho failing >&2\nexit 3`);
    const pidfile = h.writeProgram('bad', command, { maxrestarts: 3, proctitle_re: 'failing\\.sh$|sleep 86400\\.' + process.pid + '77$' });
    await h.startDaemonAndWait(FAST);

    await h.waitForLog(/\(bad\) - .*has reached the maximum number of restarts 3/, { timeoutMs: 20_000 });
    await sleep(2_500);
    const attempts = h.logLines(/\(bad\) - .*Trying to start \[Attempt/);
    expect(attempts).toHaveLength(3);
    expect(h.logLines(/has reached the maximum number of restarts/)).toHaveLength(1);
    expect(h.log()).toMatch(/\(bad\) - ERROR: start attempt 1 failed with exit code 13[47]/);

    // Fixed by hand: the program is seen running again, and restarts resume after a crash.
    fs.writeFileSync(marker, '');
    const { program, ctx } = programOf(h, 'bad');
    const started = await startProgram(program, ctx, { byUser: true });
    expect(started.code).toBe(0);
    const pid = await h.servicePid(pidfile);
    await h.waitForLog(/\(bad\) - is running again as pid \d+: automatic restarts resume/);
    process.kill(pid, 'SIGKILL');
    await h.servicePid(pidfile, pid);
    await h.waitForLog(/\(bad\) - has stopped running .*Trying to start \[Attempt 1\]/);
  });

  it('a program that dies a second after every start also reaches maxrestarts', async () => {
    h = new DaemonHarness();
    h.writeProgram('flap', h.script('flap', 'sleep 1\nexit 1'), { maxrestarts: 3 });
    await h.startDaemonAndWait(FAST);
    await h.waitForLog(/\(flap\) - .*has reached the maximum number of restarts 3/, { timeoutMs: 30_000 });
    expect(h.logLines(/\(flap\) - started as pid/).length).toBeGreaterThanOrEqual(2);
    expect(h.logLines(/\(flap\) - .*Trying to start \[Attempt/)).toHaveLength(3);
  });

  it('spaces attempts by restart_delay, doubling up to restart_delay_max', async () => {
    h = new DaemonHarness();
    h.writeProgram('slow', h.script('slow', 'exit 2'), { maxrestarts: 4, restart_delay: 1, restart_delay_max: 4 });
    await h.startDaemonAndWait(FAST);
    await h.waitForLog(/\(slow\) - .*has reached the maximum number of restarts 4/, { timeoutMs: 30_000 });
    // A wait is logged only when the delay has not already passed (a slow attempt under load may
    // outlast it), so check each logged wait against its attempt rather than the list's shape.
    const waits = h.logLines(/\(slow\) - .*Next start attempt \(\d+\) in/);
    expect(waits.length).toBeGreaterThan(0);
    for (const line of waits) {
      const attempt = Number(/Next start attempt \((\d+)\)/.exec(line)?.[1]);
      const apart = Number(/at least ([\d.]+) s apart/.exec(line)?.[1]);
      expect(apart).toBe(Math.min(4, 2 ** (attempt - 2)));
    }
    const attempts = h.logLines(/\(slow\) - .*Trying to start \[Attempt/);
    expect(attempts.map((l) => Number(/Attempt (\d+)/.exec(l)?.[1]))).toEqual([1, 2, 3, 4]);
    // Lower bounds only (load can only lengthen gaps), at the log's one-second resolution:
    // attempts are at least 1, 2 and 4 s apart.
    const stamps = attempts.map((line) => stampOf(line));
    expect(stamps[1]! - stamps[0]!).toBeGreaterThanOrEqual(1);
    expect(stamps[2]! - stamps[1]!).toBeGreaterThanOrEqual(2);
    expect(stamps[3]! - stamps[2]!).toBeGreaterThanOrEqual(4);
  });

  it('respects "usrsvc stop" until the user starts the program again', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('api', h.uniqueSleep());
    await h.startDaemonAndWait(FAST);
    const first = await h.servicePid(pidfile);
    await h.waitForLog(/\(api\) - started as pid/);

    const { program, ctx } = programOf(h, 'api');
    const stopped = await stopProgram(program, ctx, { byUser: true });
    expect(stopped.code).toBe(0);
    expect(isStoppedByUser('api', ctx)).toBe(true);
    await h.waitForLog(/\(api\) - has stopped running .*"usrsvc stop"/);
    await sleep(1_500);
    expect(isLive(first)).toBe(false);
    expect(readPidfile(pidfile)).toBeUndefined();
    expect(h.logLines(/\(api\) - .*Trying to start/)).toHaveLength(1);

    const started = await startProgram(program, ctx, { byUser: true });
    expect(started.code).toBe(0);
    const second = await h.servicePid(pidfile);
    await h.waitForLog(/\(api\) - is running as pid \d+, not started by usrsvcd/);
    process.kill(second, 'SIGKILL');
    const third = await h.servicePid(pidfile, second);
    expect(third).not.toBe(second);
  });

  it('does not manage disabled programs', async () => {
    h = new DaemonHarness();
    const pidfile = h.writeProgram('off', h.uniqueSleep(), { enabled: 'False' });
    await h.startDaemonAndWait(FAST);
    await h.waitForLog(/\(off\) - enabled=False: not managed/);
    await sleep(800);
    expect(readPidfile(pidfile)).toBeUndefined();
  });
});

describe('adoption', () => {
  it('a daemon killed with SIGKILL and a new one change no PID', async () => {
    h = new DaemonHarness();
    const files = ['a', 'b', 'c'].map((name) => h.writeProgram(name, h.uniqueSleep()));
    // One of them started by hand before any daemon runs.
    const { program, ctx } = programOf(h, 'c');
    expect((await startProgram(program, ctx)).code).toBe(0);
    const handStarted = await h.servicePid(files[2]!);

    const first = await h.startDaemonAndWait(FAST);
    const pids = await Promise.all(files.map((f) => h.servicePid(f)));
    expect(pids[2]).toBe(handStarted);
    await h.waitForLog(/\(c\) - is running as pid \d+ \(found by/);
    await waitFor('a and b started', () => h.logLines(/\) - started as pid/).length >= 2);

    first.kill('SIGKILL');
    await waitFor('the daemon to die', () => !isLive(first.pid!));
    const logBefore = h.log().length;
    await h.startDaemonAndWait(FAST);
    await h.waitForLog(/\(b\) - is running as pid/, { count: 1 });
    await sleep(1_000);
    expect(await Promise.all(files.map((f) => h.servicePid(f)))).toEqual(pids);
    for (const pid of pids) expect(isLive(pid)).toBe(true);
    expect(h.log().slice(logBefore)).not.toMatch(/Trying to start/);
  });
});
