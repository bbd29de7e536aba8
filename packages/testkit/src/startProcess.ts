import { type SpawnOptions, spawn } from 'node:child_process';
import type { Reaper } from './reaper.js';

/** Starts a real process, tracked by the reaper so that afterEach kills it by PID. */
export function startProcess(reaper: Reaper, command: string, args: string[], options: SpawnOptions = {}): number {
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  child.on('error', () => {}); // a failed spawn shows up as a missing PID in the test
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  reaper.track(child.pid);
  return child.pid;
}
