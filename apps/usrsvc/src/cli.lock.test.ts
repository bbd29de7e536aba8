import fs from 'node:fs';
import { LockTimeoutError, withProgramLock } from '@usrsvc/launcher';
import { isRunning, readPidfile, sleep, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { pidsWithCmdline } from './test-support/procs.js';
import type { CliRun } from './test-support/runCli.js';

/** Longer than the earlier lock's stale time (10 s) and the ~5 s after which it lost itself. */
const HELD_LONGER_THAN_MS = 11_000;

describe('the program lock holds for as long as its holder lives (built CLI, real processes)', () => {
  let t: CliTestHome;
  afterEach(() => t.cleanup());

  function lockIsFree(): Promise<boolean> {
    return withProgramLock('stuckp', { env: t.home.env(), lockTimeoutMs: 0 }, async () => true).catch((error) => {
      if (error instanceof LockTimeoutError) return false;
      throw error;
    });
  }

  /**
   * stuckp ignores SIGTERM (it notes each one in stuck/term) and exits once stuck/release.<its pid>
   * exists, so that a stop with term_to_kill_seconds = 45 lasts as long as the test wants.
   */
  function setUp(): { cmdline: string; termFile: string; release(pid: number): void } {
    let cmdline = '';
    t = makeCliTestHome((home) => {
      const dir = home.path('stuck');
      const script = home.write('stuck/stuck.sh', `trap 'echo term >> ${dir}/term' TERM\nwhile [ ! -e ${dir}/release.$$ ]; do sleep 0.05; done\n`);
      cmdline = `/bin/sh ${script}`;
      return { stuckp: { command: cmdline, term_to_kill_seconds: 45 } };
    });
    return {
      cmdline,
      termFile: t.home.path('stuck', 'term'),
      release: (pid) => fs.writeFileSync(t.home.path('stuck', `release.${pid}`), ''),
    };
  }

  it('a 45 s stop keeps the lock past 10 s; a concurrent start waits, then starts it; nothing waits afterwards', async () => {
    const { cmdline, termFile, release } = setUp();
    const started = await t.usrsvc(['start', 'stuckp']);
    expect(started.code, started.stderr).toBe(0);
    const first = readPidfile(t.pidfiles.stuckp!)!;
    t.reaper.track(first);

    const stop = t.usrsvc(['stop', 'stuckp']);
    await waitFor('the stop to send SIGTERM', () => fs.existsSync(termFile), { timeoutMs: 30_000 });
    const heldSince = Date.now();
    let startPid: number | undefined;
    const start = t.usrsvc(['start', 'stuckp'], { extraEnv: { USRSVC_LOCK_TIMEOUT: '600' }, onSpawn: (pid) => (startPid = pid) });

    await sleep(HELD_LONGER_THAN_MS - (Date.now() - heldSince));
    // Still held by the stop: the start waits, nobody else gets in, one instance runs.
    expect(await lockIsFree()).toBe(false);
    expect(startPid !== undefined && isRunning(startPid)).toBe(true);
    expect(pidsWithCmdline(cmdline)).toEqual([first]);

    release(first);
    const [stopped, restarted] = (await Promise.all([stop, start])) as [CliRun, CliRun];
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('stuckp terminated');
    expect(stopped.stderr).not.toMatch(/lock/i);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain('Started stuckp:');
    expect(restarted.stderr).not.toMatch(/lock/i);
    const second = readPidfile(t.pidfiles.stuckp!)!;
    t.reaper.track(second);
    expect(second).not.toBe(first);
    expect(isRunning(first)).toBe(false);
    expect(pidsWithCmdline(cmdline)).toEqual([second]);

    // No stale lock left behind: the next action gets it at once.
    expect(await lockIsFree()).toBe(true);
    release(second);
    await waitFor('the program to exit', () => !isRunning(second), { timeoutMs: 30_000 });
    const next = await t.usrsvc(['stop', 'stuckp'], { extraEnv: { USRSVC_LOCK_TIMEOUT: '0' } });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('stuckp was not running.');
  }, 120_000);

  it('a SIGKILLed holder leaves the lock free at once', async () => {
    const { termFile, release } = setUp();
    const started = await t.usrsvc(['start', 'stuckp']);
    expect(started.code, started.stderr).toBe(0);
    const pid = readPidfile(t.pidfiles.stuckp!)!;
    t.reaper.track(pid);

    let stopPid: number | undefined;
    const stop = t.usrsvc(['stop', 'stuckp'], { onSpawn: (p) => (stopPid = p) });
    await waitFor('the stop to send SIGTERM', () => fs.existsSync(termFile), { timeoutMs: 30_000 });
    expect(await lockIsFree()).toBe(false);
    process.kill(stopPid!, 'SIGKILL');
    expect((await stop).signal).toBe('SIGKILL');

    expect(await lockIsFree()).toBe(true);
    release(pid);
    await waitFor('the program to exit', () => !isRunning(pid), { timeoutMs: 30_000 });
    const next = await t.usrsvc(['start', 'stuckp'], { extraEnv: { USRSVC_LOCK_TIMEOUT: '0' } });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('Started stuckp:');
    t.reaper.track(readPidfile(t.pidfiles.stuckp!));
  }, 120_000);
});
