import fs from 'node:fs';
import path from 'node:path';
import { type LaunchContext, readPidfile, withProgramLock, writePidfile } from '@usrsvc/launcher';
import { isAlive, isSameProcess, processIdentity } from '@usrsvc/procscan';
import { writeFileAtomicSync } from '@usrsvc/atomicfile';

/** What the daemon records about itself beside its pidfile (in the state folder). */
export interface DaemonState {
  pid: number;
  /** The process's start time in clock ticks since boot: with pid, it names this process alone. */
  startTicks: number;
  startedAt: string;
  exitWatch?: { mode: string; reason?: string | undefined };
  /** The API's socket, once it listens. */
  socket?: string;
}

/**
 * True while `pid` is the daemon that recorded itself in the state folder: same pid and same start
 * time (a reused pid running anything else, even `tail -f usrsvcd.log`, does not pass).
 */
export function isUsrsvcdProcess(pid: number, stateDir: string): boolean {
  const state = readDaemonState(stateDir, pid);
  return state !== undefined && Number.isFinite(state.startTicks) && isSameProcess({ pid, startTicks: state.startTicks });
}

/** The running daemon named by the pidfile, or undefined (missing, stale, or some other process). */
export function runningDaemonPid(pidfile: string, stateDir: string): number | undefined {
  const pid = readPidfile(pidfile);
  return pid !== undefined && isUsrsvcdProcess(pid, stateDir) ? pid : undefined;
}

/** The lock serialising daemon start-ups; parentheses keep it apart from any program's lock. */
const DAEMON_LOCK_NAME = '(usrsvcd)';

/**
 * Writes this process's pid to the pidfile unless another live usrsvcd owns it, holding a lock
 * while it checks and writes, so that of two daemons started at the same instant exactly one
 * runs. Returns the other daemon's pid when the pidfile is not ours.
 */
export async function claimDaemonPidfile(pidfile: string, ctx: LaunchContext & { stateDir: string }, pid: number = process.pid): Promise<number | undefined> {
  return withProgramLock(DAEMON_LOCK_NAME, ctx, async () => {
    const owner = runningDaemonPid(pidfile, ctx.stateDir);
    if (owner !== undefined && owner !== pid) return owner;
    const identity = processIdentity(pid);
    if (!identity) throw new Error(`cannot read the start time of pid ${pid}`);
    writeDaemonState(ctx.stateDir, { pid, startTicks: identity.startTicks, startedAt: new Date().toISOString() }, true);
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

/** Writes the state file atomically; `required`: throw on failure (the claim needs it). */
export function writeDaemonState(stateDir: string, state: DaemonState, required = false): void {
  const file = daemonStateFile(stateDir);
  try {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(file, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  } catch (error) {
    if (required) throw error;
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
