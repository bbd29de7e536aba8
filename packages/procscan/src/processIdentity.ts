import { isDeadState } from './isDeadState.js';
import { hasProcfs } from './hasProcfs.js';
import { parseProcStat } from './parseProcStat.js';
import { readProcFile } from './readProcFile.js';
import { readProcessWithPs } from './psSingleProcess.js';
import { isValidPid } from './readProcess.js';
import type { ProcessIdentity } from './types.js';

interface Liveness {
  startTicks: number;
  dead: boolean;
}

/** PID plus start time of a living process; undefined when it is gone or a zombie. */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  const liveness = readLiveness(pid);
  if (liveness === undefined || liveness.dead) return undefined;
  return { pid, startTicks: liveness.startTicks };
}

/** True while the identity's process lives: same PID, same start time, not a zombie. */
export function isSameProcess(identity: ProcessIdentity): boolean {
  const liveness = readLiveness(identity.pid);
  return liveness !== undefined && !liveness.dead && liveness.startTicks === identity.startTicks;
}

/** True when the PID exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const liveness = readLiveness(pid);
  return liveness !== undefined && !liveness.dead;
}

function readLiveness(pid: number): Liveness | undefined {
  if (!isValidPid(pid)) return undefined;
  if (!hasProcfs()) {
    const info = readProcessWithPs(pid);
    return info && { startTicks: info.startTicks, dead: isDeadState(info.state) };
  }
  try {
    const stat = parseProcStat(readProcFile(`/proc/${pid}/stat`).toString('utf8'));
    return stat && { startTicks: stat.startTicks, dead: isDeadState(stat.state) };
  } catch {
    return undefined;
  }
}
