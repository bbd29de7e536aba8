import fs from 'node:fs';
import path from 'node:path';
import { type LaunchContext, readPidfile, withProgramLock, writePidfile } from '@usrsvc/launcher';
import { isAlive } from '@usrsvc/procscan';

/** What `usrsvcd status` can learn about the running daemon besides its pid. */
export interface DaemonState {
  pid: number;
  startedAt: string;
  exitWatch: { mode: string; reason?: string | undefined };
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** True while `pid` exists, is not a zombie and its command line looks like usrsvcd. */
export function isUsrsvcdProcess(pid: number): boolean {
  return cmdlineOf(pid)?.includes('usrsvcd') === true && isAlive(pid);
}

/** The running daemon named by the pidfile, or undefined (missing, stale, or some other process). */
export function runningDaemonPid(pidfile: string): number | undefined {
  const pid = readPidfile(pidfile);
  return pid !== undefined && isUsrsvcdProcess(pid) ? pid : undefined;
}

/** The lock serialising daemon start-ups; parentheses keep it apart from any program's lock. */
const DAEMON_LOCK_NAME = '(usrsvcd)';

/**
 * Writes this process's pid to the pidfile unless another live usrsvcd owns it, holding a lock
 * while it checks and writes, so that of two daemons started at the same instant exactly one
 * runs. Returns the other daemon's pid when the pidfile is not ours.
 */
export async function claimDaemonPidfile(pidfile: string, ctx: LaunchContext, pid: number = process.pid): Promise<number | undefined> {
  return withProgramLock(DAEMON_LOCK_NAME, ctx, async () => {
    const owner = runningDaemonPid(pidfile);
    if (owner !== undefined && owner !== pid) return owner;
    writePidfile(pidfile, pid);
    return undefined;
  });
}

/** Removes the pidfile only if it still names this process (a newer daemon may own it). */
export function removeDaemonPidfile(pidfile: string, pid: number = process.pid): void {
  if (readPidfile(pidfile) !== pid) return;
  try {
    fs.unlinkSync(pidfile);
  } catch {
    // already gone
  }
}

export const daemonStateFile = (stateDir: string) => path.join(stateDir, 'usrsvcd.json');

export function writeDaemonState(stateDir: string, state: DaemonState): void {
  try {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(daemonStateFile(stateDir), `${JSON.stringify(state)}\n`);
  } catch {
    // status then reports the pid without the exit-watch mode
  }
}

export function readDaemonState(stateDir: string, pid: number): DaemonState | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(daemonStateFile(stateDir), 'utf8')) as DaemonState;
    return state.pid === pid ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until `pid` is gone (zombies count as gone), up to timeoutMs; true when it went. */
export async function waitForExit(pid: number, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(pid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
