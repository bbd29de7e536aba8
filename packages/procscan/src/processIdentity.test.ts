import { Reaper, startProcess, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, isSameProcess, processIdentity } from './processIdentity.js';
import { readProcess } from './readProcess.js';
import { snapshotProcessesSync } from './snapshotProcesses.js';
import { startAndAwaitExit } from './test-support/startAndAwaitExit.js';

describe('process identity', () => {
  const reaper = new Reaper();
  afterEach(() => reaper.killAll());

  it('identifies a living process by pid and start ticks', () => {
    const pid = startProcess(reaper, 'sleep', ['600']);
    const identity = processIdentity(pid);
    expect(identity).toEqual({ pid, startTicks: readProcess(pid)?.startTicks });
    expect(isSameProcess(identity!)).toBe(true);
    expect(isAlive(pid)).toBe(true);
  });

  it('fails the identity check once the process has exited', async () => {
    const pid = startProcess(reaper, 'sleep', ['600']);
    const identity = processIdentity(pid)!;
    process.kill(pid, 'SIGKILL');
    await waitFor('the killed sleep to be reaped', () => readProcess(pid) === undefined);
    expect(isSameProcess(identity)).toBe(false);
    expect(isAlive(pid)).toBe(false);
    expect(processIdentity(pid)).toBeUndefined();
  });

  it('fails for an exited PID that we never watched', async () => {
    const pid = await startAndAwaitExit('true', []);
    expect(isAlive(pid)).toBe(false);
    expect(processIdentity(pid)).toBeUndefined();
  });

  it('treats the same PID with another start time as another process (a reused PID)', () => {
    const identity = processIdentity(process.pid)!;
    expect(isSameProcess(identity)).toBe(true);
    expect(isSameProcess({ pid: identity.pid, startTicks: identity.startTicks - 1 })).toBe(false);
    expect(isSameProcess({ pid: identity.pid, startTicks: identity.startTicks + 1 })).toBe(false);
  });

  it('says a zombie is dead, though its PID still exists', async () => {
    // The sh execs sleep 600, which inherits the background sleep 1 and never waits for it.
    const parent = startProcess(reaper, 'sh', ['-c', 'sleep 1 & exec sleep 600']);
    const child = await waitFor('the background sleep', () => {
      const sleeper = snapshotProcessesSync().children(parent)[0];
      return sleeper?.argv[0] === 'sleep' && sleeper.pid;
    });
    const identity = processIdentity(child)!;
    expect(isSameProcess(identity)).toBe(true);
    await waitFor('the child to become a zombie', () => readProcess(child)?.state === 'Z', { timeoutMs: 15_000 });
    expect(readProcess(child)?.argv).toEqual([]);
    expect(isAlive(child)).toBe(false);
    expect(isSameProcess(identity)).toBe(false);
    expect(processIdentity(child)).toBeUndefined();
  });

  it('rejects PIDs that cannot exist', () => {
    for (const pid of [0, -1, 1.5, Number.NaN, 2 ** 40]) {
      expect(isAlive(pid)).toBe(false);
      expect(processIdentity(pid)).toBeUndefined();
      expect(readProcess(pid)).toBeUndefined();
    }
  });
});
