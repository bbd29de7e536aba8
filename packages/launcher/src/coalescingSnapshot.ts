import { type ProcessTable, snapshotProcesses } from '@usrsvc/procscan';

/**
 * A snapshot function whose concurrent callers share one scan of the process table: a call made
 * before a scan starts or while it runs gets that scan's result; a call made after it resolved starts a new one, so a
 * table is never older than the call that asked for it by more than one scan.
 */
export function coalescingSnapshot(uid: number): () => Promise<ProcessTable> {
  let inFlight: Promise<ProcessTable> | undefined;
  return () => {
    // Waiting for setImmediate gathers every caller of this turn of the event loop (e.g. many
    // programs whose locks were granted together) onto one scan: the scan itself is synchronous.
    inFlight ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => snapshotProcesses({ uid }))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

const perUid = new Map<number, () => Promise<ProcessTable>>();

/** The process-wide coalescing snapshot for `uid`: what the launcher uses when ctx.snapshot is unset. */
export function sharedSnapshot(uid: number): () => Promise<ProcessTable> {
  let snapshot = perUid.get(uid);
  if (!snapshot) {
    snapshot = coalescingSnapshot(uid);
    perUid.set(uid, snapshot);
  }
  return snapshot;
}
