import fs from 'node:fs';
import { hasProcfs, isDeadState, parseProcStat } from '@usrsvc/procscan';
import type { ProcessIdentity } from './types.js';

/**
 * Descriptors kept open on one watched process's /proc entry. A /proc/<pid>/* descriptor stays
 * bound to the process it was opened for: once that process is reaped, reads fail with ESRCH,
 * even if its pid is reused (checked on Linux 6.18). So a tick needs one positional read, with
 * no path lookup, no open and no close, and no start time to compare.
 *
 * Each tick reads `statm` (~1 µs here, against ~3 µs for `stat` and ~8 µs for procscan's
 * open/read/close of `stat`). Its first field is 0 once the process has released its memory,
 * which happens on the way to becoming a zombie; only then is `stat` opened and its state read,
 * so that, as before, a process counts as exited when it is a zombie (Z, X) or gone.
 */
export interface ProcFdProbe {
  readonly pid: number;
  readonly statmFd: number;
  statFd?: number;
}

/** Shared by every read: a result is consumed before the next read. A stat line fits. */
const buffer = Buffer.allocUnsafe(1024);
const ZERO = 0x30;
const CLOSE_PAREN = 0x29;
const ZOMBIE = 0x5a;
const DEAD = 0x58;

/**
 * Opens the probe for `identity`. `'stale'` when the process is already gone, a zombie, or not
 * the one the identity names; `undefined` when no descriptor can be had (no /proc, EMFILE, ...):
 * the caller then checks the identity by path on each tick instead.
 */
export function openProbe(identity: ProcessIdentity): ProcFdProbe | 'stale' | undefined {
  if (!hasProcfs()) return undefined;
  const { pid } = identity;
  const statFd = openOrGone(`/proc/${pid}/stat`);
  if (typeof statFd !== 'number') return statFd;
  try {
    // The identity was taken before this open; reading it again through the descriptor proves
    // that the descriptor names that very process, not a newcomer with the same pid.
    if (!statMatches(statFd, identity)) return 'stale';
    const statmFd = openOrGone(`/proc/${pid}/statm`);
    if (typeof statmFd !== 'number') return statmFd;
    // stat still readable, so the process was not reaped: statm names the same one.
    if (!readable(statFd)) {
      fs.closeSync(statmFd);
      return 'stale';
    }
    return { pid, statmFd };
  } finally {
    fs.closeSync(statFd);
  }
}

/** True while the process lives (not a zombie, not reaped). Never throws. */
export function probeAlive(probe: ProcFdProbe): boolean {
  let length: number;
  try {
    length = fs.readSync(probe.statmFd, buffer, 0, 64, 0);
  } catch {
    return false; // ESRCH: reaped
  }
  if (length > 0 && buffer[0] !== ZERO) return true;
  return !exitedByState(probe);
}

/** Closes the probe's descriptors; the poll watcher calls it exactly once per probe. */
export function closeProbe(probe: ProcFdProbe): void {
  fs.closeSync(probe.statmFd);
  if (probe.statFd !== undefined) fs.closeSync(probe.statFd);
}

/** No memory left (or a process that never had any, such as a kernel thread): read the state. */
function exitedByState(probe: ProcFdProbe): boolean {
  if (probe.statFd === undefined) {
    const opened = openOrGone(`/proc/${probe.pid}/stat`);
    if (opened === 'stale') return true;
    if (opened === undefined) return false; // EMFILE and the like: try again next tick
    probe.statFd = opened;
    // statm still readable after the open: the pid was not reused, stat names our process.
    if (!readable(probe.statmFd)) return true;
  }
  let length: number;
  try {
    length = fs.readSync(probe.statFd, buffer, 0, buffer.length, 0);
  } catch {
    return true;
  }
  const close = buffer.lastIndexOf(CLOSE_PAREN, length - 1);
  const state = close < 0 ? undefined : buffer[close + 2];
  return state === ZOMBIE || state === DEAD;
}

function statMatches(fd: number, identity: ProcessIdentity): boolean {
  try {
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const stat = parseProcStat(buffer.toString('latin1', 0, length));
    return stat !== undefined && !isDeadState(stat.state) && stat.startTicks === identity.startTicks;
  } catch {
    return false;
  }
}

function readable(fd: number): boolean {
  try {
    fs.readSync(fd, buffer, 0, 64, 0);
    return true;
  } catch {
    return false;
  }
}

/** A descriptor; `'stale'` when the process is gone; `undefined` for any other failure. */
function openOrGone(path: string): number | 'stale' | undefined {
  try {
    return fs.openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ESRCH' ? 'stale' : undefined;
  }
}
