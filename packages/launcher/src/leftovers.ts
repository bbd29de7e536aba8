import { type ProcessIdentity, type ProcessInfo, readProcess } from '@usrsvc/procscan';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import { identityKey, mayBelong } from './programTree.js';
import { readTreeRecord } from './treeRecord.js';

/** A process of a program's tree that outlived its main process. */
export interface Leftover {
  pid: number;
  cmdline: string;
}

/**
 * The program's leftovers: processes of its recorded tree that still run (same PID and start time,
 * re-read now; no scan) but do not belong to the running main process `main` (all of them when
 * none runs). They are what usually holds the port when a start fails with "address in use".
 */
export function programLeftovers(name: string, ctx?: LaunchContext, main?: ProcessIdentity): Leftover[] {
  return liveLeftovers(name, resolveContext(ctx), main).map(toLeftover);
}

export function liveLeftovers(name: string, ctx: ResolvedContext, main?: ProcessIdentity): ProcessInfo[] {
  const record = readTreeRecord(name, ctx);
  if (!record) return [];
  const mainKey = main ? identityKey(main) : undefined;
  const live: ProcessInfo[] = [];
  for (const member of record.members) {
    if (member.main === mainKey) continue;
    const now = readProcess(member.pid);
    if (now?.startTicks === member.startTicks && mayBelong(now, ctx.uid)) live.push(now);
  }
  return live;
}

export function toLeftover(info: ProcessInfo): Leftover {
  return { pid: info.pid, cmdline: info.cmdline };
}

/** "[123] sleep 600, [124] nginx: worker process" (the first five, then "and N more"). */
export function describeLeftovers(leftovers: readonly Leftover[]): string {
  const shown = leftovers.slice(0, 5).map((l) => `[${l.pid}] ${l.cmdline || '(no command line)'}`);
  const more = leftovers.length > 5 ? ` and ${leftovers.length - 5} more` : '';
  return `${shown.join(', ')}${more}`;
}
