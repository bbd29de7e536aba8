import type { LaunchContext } from '@usrsvc/launcher';
import { type ProcessTable, snapshotProcesses } from '@usrsvc/procscan';

/**
 * The context for reporting the status of many programs: one process-table scan, taken when the
 * first program without a valid pidfile needs it and then shared by all, and none when every
 * pidfile names its running program.
 */
export function statusContext(ctx: LaunchContext): LaunchContext {
  let table: Promise<ProcessTable> | undefined;
  return { ...ctx, snapshot: () => (table ??= snapshotProcesses({ uid: ctx.uid })) };
}
