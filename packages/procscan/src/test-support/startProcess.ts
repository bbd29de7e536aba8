import { type SpawnOptions, spawn } from 'node:child_process';
import type { Reaper } from '@usrsvc/testkit';

/** Starts a real process, tracked by the reaper so that afterEach kills it by PID. */
export function startProcess(reaper: Reaper, command: string, args: string[], options: SpawnOptions = {}): number {
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  child.on('error', () => {}); // a failed spawn shows up as a missing PID in the test
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  reaper.track(child.pid);
  return child.pid;
}

/** Resolves once the process has exited and its parent (this test process) has reaped it. */
export function startAndAwaitExit(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid ?? -1));
  });
}
