import fs from 'node:fs';
import { ProcscanUnsupportedError } from './errors.js';
import { hasProcfs } from './hasProcfs.js';
import { ProcessTable } from './ProcessTable.js';
import { readProcEntry } from './readProcEntry.js';
import type { ProcessInfo, SnapshotOptions, SnapshotSyncOptions } from './types.js';

/** The whole process table (or one user's part of it). Uses /proc where it exists, else ps-list. */
export async function snapshotProcesses(options: SnapshotOptions = {}): Promise<ProcessTable> {
  const backend = options.backend ?? (hasProcfs() ? 'proc' : 'ps-list');
  if (backend === 'ps-list') {
    // Loaded only here: ps-list brings child_process, a few ms of every CLI start-up on Linux.
    const { snapshotWithPsList } = await import('./psListBackend.js');
    return snapshotWithPsList(options.uid);
  }
  if (backend !== 'proc') throw new ProcscanUnsupportedError(String(backend), "backends are 'proc' and 'ps-list'");
  return snapshotProcessesSync({ uid: options.uid, exactRss: options.exactRss });
}

/** The process table read synchronously from /proc. Throws ProcscanUnsupportedError without /proc. */
export function snapshotProcessesSync(options: SnapshotSyncOptions = {}): ProcessTable {
  if (!hasProcfs()) throw new ProcscanUnsupportedError('proc', 'there is no /proc filesystem');
  const exactRss = options.exactRss ?? false;
  const processes: ProcessInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a PID directory
    const info = readProcEntry(Number(entry), options.uid, exactRss);
    if (info !== undefined) processes.push(info);
  }
  return new ProcessTable(processes);
}
