import fs from 'node:fs';
import { hasProcfs } from './hasProcfs.js';
import { readProcessWithPs } from './psSingleProcess.js';
import { readProcEntry } from './readProcEntry.js';
import type { ProcessInfo } from './types.js';

/** One process, without scanning the table (rssKb exact); undefined when it does not exist. */
export function readProcess(pid: number): ProcessInfo | undefined {
  if (!isValidPid(pid)) return undefined;
  return hasProcfs() ? readProcEntry(pid, undefined, true) : readProcessWithPs(pid);
}

/** The executable's path (readlink /proc/<pid>/exe); undefined when gone, a kernel thread, or not ours to read. */
export function readExecutable(pid: number): string | undefined {
  if (!isValidPid(pid) || !hasProcfs()) return undefined;
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

export function isValidPid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 0;
}
