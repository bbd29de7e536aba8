import { coalescingSnapshot, type ProcessTable, snapshotProcesses } from '@usrsvc/procscan';

const perUid = new Map<number, () => Promise<ProcessTable>>();

/** The process-wide coalescing snapshot of `uid`'s processes: what the launcher uses when ctx.snapshot is unset. */
export function sharedSnapshot(uid: number): () => Promise<ProcessTable> {
  let snapshot = perUid.get(uid);
  if (!snapshot) {
    snapshot = coalescingSnapshot(() => snapshotProcesses({ uid }));
    perUid.set(uid, snapshot);
  }
  return snapshot;
}
