import { processIdentity } from '@usrsvc/procscan';
import { isInitOrSubreaper, isRunning, procStat, Reaper, sleep, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWatchMode } from './mode.js';
import { activePollTimers } from './pollWatcher.js';
import { openFdCount, startSleep, startSleeps, startZombieMaker } from './test-support/processes.js';
import type { WatchExitOptions } from './types.js';
import { watchExit } from './watchExit.js';

const pidfdAvailable = exitWatchMode().mode === 'pidfd';

/** Counts calls, and remembers the process state seen by the first call. */
function recorder(pid: number) {
  const calls: { state: string | undefined }[] = [];
  return {
    calls,
    onExit: () => {
      calls.push({ state: procStat(pid)?.state });
    },
  };
}

function identityOf(pid: number) {
  const identity = processIdentity(pid);
  if (!identity) throw new Error(`pid ${pid} is not alive`);
  return identity;
}

const suites: { name: string; options: WatchExitOptions; skip: boolean }[] = [
  { name: 'pidfd', options: {}, skip: !pidfdAvailable },
  { name: 'poll', options: { mode: 'poll', pollIntervalMs: 50 }, skip: false },
];

describe.each(suites)('watchExit in $name mode', ({ options, skip }) => {
  const reaper = new Reaper();
  afterEach(() => reaper.killAll());

  it.skipIf(skip)('fires once when a non-child is killed with SIGKILL', async () => {
    const pid = startSleep(600, reaper);
    expect(isInitOrSubreaper(procStat(pid)!.ppid)).toBe(true);
    const { calls, onExit } = recorder(pid);
    watchExit(identityOf(pid), onExit, options);
    await sleep(150);
    expect(calls).toHaveLength(0);
    process.kill(pid, 'SIGKILL');
    await waitFor('the exit callback', () => calls.length > 0);
    await sleep(150);
    expect(calls).toHaveLength(1);
  });

  it.skipIf(skip)('fires when a non-child exits by itself', async () => {
    const pid = startSleep(0.3, reaper);
    const { calls, onExit } = recorder(pid);
    watchExit(identityOf(pid), onExit, options);
    await waitFor('the exit callback', () => calls.length > 0);
    expect(isRunning(pid)).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it.skipIf(skip)('fires for a process that stays a zombie because its parent never reaps it', async () => {
    const { child, parent } = startZombieMaker(reaper);
    expect(procStat(child)?.ppid).toBe(parent);
    const { calls, onExit } = recorder(child);
    watchExit(identityOf(child), onExit, options);
    await waitFor('the exit callback', () => calls.length > 0);
    expect(calls).toEqual([{ state: 'Z' }]);
    expect(procStat(child)?.state).toBe('Z'); // still a zombie: the watch did not wait for a reap
  });

  it.skipIf(skip)('fires soon for a process that was already a zombie when the watch started', async () => {
    const { child } = startZombieMaker(reaper);
    const identity = identityOf(child);
    await waitFor('the zombie', () => procStat(child)?.state === 'Z');
    const { calls, onExit } = recorder(child);
    watchExit(identity, onExit, options);
    expect(calls).toHaveLength(0); // asynchronous, never from inside watchExit
    await waitFor('the exit callback', () => calls.length > 0);
    expect(calls).toEqual([{ state: 'Z' }]);
  });

  it.skipIf(skip)('reports a stale identity as exited and never watches the live process with that pid', async () => {
    const pid = startSleep(600, reaper);
    const live = identityOf(pid);
    const stale = { pid, startTicks: live.startTicks - 1 }; // what a reused pid looks like
    const { calls, onExit } = recorder(pid);
    watchExit(stale, onExit, options);
    expect(calls).toHaveLength(0);
    await waitFor('the exit callback', () => calls.length > 0);
    // Reported while the live process still runs (sleeping, or still running under load).
    expect(calls).toHaveLength(1);
    expect(['R', 'S', 'D']).toContain(calls[0]!.state);
    process.kill(pid, 'SIGKILL');
    await waitFor('the live process to die', () => !isRunning(pid));
    await sleep(200);
    expect(calls).toHaveLength(1);
  });

  it.skipIf(skip)('reports a process that is gone as exited', async () => {
    const pid = startSleep(600, reaper);
    const identity = identityOf(pid);
    process.kill(pid, 'SIGKILL');
    await waitFor('the process to die', () => !isRunning(pid));
    const { calls, onExit } = recorder(pid);
    watchExit(identity, onExit, options);
    await waitFor('the exit callback', () => calls.length > 0);
    expect(calls).toHaveLength(1);
  });

  it.skipIf(skip)('never calls back after close(), even for an exit already noticed', async () => {
    const pid = startSleep(600, reaper);
    const { calls, onExit } = recorder(pid);
    const watch = watchExit(identityOf(pid), onExit, options);
    watch.close();
    process.kill(pid, 'SIGKILL');
    // Closed before the next turn of the loop: the exit of a stale identity is not reported.
    watchExit({ pid, startTicks: 1 }, onExit, options).close();
    await waitFor('the process to die', () => !isRunning(pid));
    await sleep(300);
    expect(calls).toHaveLength(0);
    watch.close(); // idempotent
  });

  it.skipIf(skip)('close() from inside the callback is harmless', async () => {
    const pid = startSleep(600, reaper);
    let count = 0;
    const watch = watchExit(
      identityOf(pid),
      () => {
        count++;
        watch.close();
      },
      options,
    );
    process.kill(pid, 'SIGKILL');
    await waitFor('the exit callback', () => count > 0);
    await sleep(150);
    expect(count).toBe(1);
  });

  it.skipIf(skip)('watches 200 processes at once, each reported once', async () => {
    const pids = startSleeps(200, reaper);
    const counts = new Map<number, number>(pids.map((pid) => [pid, 0]));
    const watches = pids.map((pid) =>
      watchExit(identityOf(pid), () => counts.set(pid, (counts.get(pid) ?? 0) + 1), options),
    );
    if (options.mode === 'poll') expect(activePollTimers()).toBe(1); // one shared timer
    const killed = pids.slice(0, 150);
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    await waitFor('150 exit callbacks', () => killed.every((pid) => counts.get(pid) === 1), { timeoutMs: 15_000 });
    await sleep(200);
    for (const pid of pids.slice(150)) expect(counts.get(pid)).toBe(0);
    for (const watch of watches) watch.close();
    if (options.mode === 'poll') expect(activePollTimers()).toBe(0);
    for (const pid of killed) expect(counts.get(pid)).toBe(1);
  });

  it.skipIf(skip)('leaks no descriptors over many watches', async () => {
    const pid = startSleep(600, reaper);
    const identity = identityOf(pid);
    const before = openFdCount();
    for (let i = 0; i < 2000; i++) watchExit(identity, () => {}, options).close();
    const firing = Array.from({ length: 50 }, () => watchExit(identity, () => {}, options));
    expect(openFdCount()).toBe(before + 50); // one pidfd, or one kept /proc/<pid>/statm, per watch
    process.kill(pid, 'SIGKILL');
    await waitFor('the process to die', () => !isRunning(pid));
    // each watch closes its descriptor when it fires, one poll interval or less after the exit
    await waitFor('every watch to close its descriptor', () => openFdCount() === before);
    expect(openFdCount()).toBe(before);
    for (const watch of firing) watch.close();
  });

  it.skipIf(skip)('closes the descriptors of a watch on a zombie, and of watches closed before it exits', async () => {
    const before = openFdCount();
    const { child } = startZombieMaker(reaper);
    const closed = Array.from({ length: 20 }, () => watchExit(identityOf(child), () => {}, options));
    let fired = 0;
    watchExit(identityOf(child), () => fired++, options);
    for (const watch of closed) watch.close();
    expect(openFdCount()).toBe(before + 1);
    await waitFor('the exit callback', () => fired > 0);
    expect(procStat(child)?.state).toBe('Z');
    expect(openFdCount()).toBe(before);
  });
});
