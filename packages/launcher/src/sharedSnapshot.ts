import { nativeProcReader } from '@usrsvc/exitwatch';
import { coalescingSnapshot, type ProcessTable, snapshotProcesses } from '@usrsvc/procscan';

const perUid = new Map<number, () => Promise<ProcessTable>>();

/**
 * A snapshot of `uid`'s processes (every process's when undefined), taken now: /proc is read on
 * libuv's thread pool where the addon is built (the event loop only parses), else on the loop.
 */
export function processTableOf(uid: number | undefined): Promise<ProcessTable> {
  return snapshotProcesses({ uid, readProc: nativeProcReader() });
}

/** The process-wide coalescing snapshot of `uid`'s processes: what the launcher uses when ctx.snapshot is unset. */
export function sharedSnapshot(uid: number): () => Promise<ProcessTable> {
  let snapshot = perUid.get(uid);
  if (!snapshot) {
    snapshot = coalescingSnapshot(() => processTableOf(uid));
    perUid.set(uid, snapshot);
  }
  return snapshot;
}
