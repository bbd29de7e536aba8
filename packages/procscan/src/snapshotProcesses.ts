import fs from 'node:fs';
import { ProcscanUnsupportedError } from './errors.js';
import { hasProcfs } from './hasProcfs.js';
import { ProcessTable } from './ProcessTable.js';
import { packedProcEntries } from './packedProcEntries.js';
import { readProcEntry } from './readProcEntry.js';
import type { ProcessInfo, SnapshotOptions, SnapshotSyncOptions } from './types.js';

/**
 * The whole process table (or one user's part of it). Uses /proc where it exists, else ps-list.
 * It lets the event loop run every few milliseconds while it reads /proc: a table of a thousand
 * processes takes ~70 ms to read in a daemon without the optimising compilers, and an exit to
 * react to must not wait for all of it. A table is never one instant anyway: each process is read
 * on its own, and one read later in the scan may have started after it began. With `readProc`
 * (a reader that runs off the event loop, such as @usrsvc/exitwatch's nativeProcReader), the
 * files are read elsewhere and the loop only parses them.
 */
export async function snapshotProcesses(options: SnapshotOptions = {}): Promise<ProcessTable> {
  const backend = options.backend ?? (hasProcfs() ? 'proc' : 'ps-list');
  if (backend === 'ps-list') {
    // Loaded only here: ps-list brings child_process, a few ms of every CLI start-up on Linux.
    const { snapshotWithPsList } = await import('./psListBackend.js');
    return snapshotWithPsList(options.uid);
  }
  if (backend !== 'proc') throw new ProcscanUnsupportedError(String(backend), "backends are 'proc' and 'ps-list'");
  const exactRss = options.exactRss ?? false;
  if (!options.readProc) return new ProcessTable(await yieldingEvery(procEntries({ uid: options.uid, exactRss })));
  if (!hasProcfs()) throw new ProcscanUnsupportedError('proc', 'there is no /proc filesystem');
  return new ProcessTable(await yieldingEvery(packedProcEntries(await options.readProc(options.uid, exactRss))));
}

/** Everything `entries` yields, letting the event loop run every SLICE_MS while it is read. */
async function yieldingEvery(entries: Iterable<ProcessInfo>): Promise<ProcessInfo[]> {
  const processes: ProcessInfo[] = [];
  let sliceStart = performance.now();
  for (const info of entries) {
    processes.push(info);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return processes;
}

/** How long the async snapshot reads before it yields to the event loop. */
const SLICE_MS = 4;

/** The process table read synchronously from /proc. Throws ProcscanUnsupportedError without /proc. */
export function snapshotProcessesSync(options: SnapshotSyncOptions = {}): ProcessTable {
  return new ProcessTable([...procEntries(options)]);
}

/** Each process /proc holds now (of `uid` only, when given). Throws ProcscanUnsupportedError without /proc. */
function* procEntries(options: SnapshotSyncOptions): Generator<ProcessInfo> {
  if (!hasProcfs()) throw new ProcscanUnsupportedError('proc', 'there is no /proc filesystem');
  const exactRss = options.exactRss ?? false;
  for (const entry of fs.readdirSync('/proc')) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a PID directory
    const info = readProcEntry(Number(entry), options.uid, exactRss);
    if (info !== undefined) yield info;
  }
}
