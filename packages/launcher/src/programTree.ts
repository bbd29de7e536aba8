import type { ProcessIdentity, ProcessInfo, ProcessTable } from '@usrsvc/procscan';
import { isDead } from './runningProcess.js';

/** What belongs to a program, as seen in one snapshot. */
export interface TreeScope {
  /** Processes that are the program by identity (its main process, recorded members). */
  roots: readonly ProcessIdentity[];
  /** Process groups that are the program's own (see ownGroups): every member belongs to it. */
  groups: readonly number[];
  /** Add every descendant of a root or group member (false: the roots alone). */
  withDescendants: boolean;
}

/**
 * The program's live processes in `table`: the roots that are still the same process, the
 * members of its own groups and (withDescendants) every descendant of those, wherever they moved
 * (setsid, another group). Never PID 1, never this process, never another user's process.
 */
export function collectProgramTree(table: ProcessTable, scope: TreeScope, uid: number): ProcessInfo[] {
  const found = new Map<number, ProcessInfo>();
  const add = (info: ProcessInfo | undefined) => {
    if (info && !found.has(info.pid) && mayBelong(info, uid)) found.set(info.pid, info);
  };
  for (const root of scope.roots) {
    const info = table.get(root.pid);
    if (info?.startTicks === root.startTicks) add(info);
  }
  if (scope.groups.length === 1) {
    for (const info of table.inGroup(scope.groups[0]!)) add(info);
  } else if (scope.groups.length > 1) {
    const groups = new Set(scope.groups);
    for (const info of table.processes) if (info.pgid !== undefined && groups.has(info.pgid)) add(info);
  }
  if (scope.withDescendants) {
    for (const top of [...found.values()]) for (const below of table.descendants(top.pid)) add(below);
  }
  return [...found.values()];
}

/** Never signalled, whatever a table says: init, this process, other users, the dead. */
export function mayBelong(info: ProcessInfo, uid: number): boolean {
  return info.pid > 1 && info.pid !== process.pid && info.uid === uid && !isDead(info);
}

/**
 * Which of `claimed` process groups are still the program's own in `table`: a group counts only
 * while one of the program's `known` processes (same identity) is still in it — a group ID cannot
 * be reused while it has a member, so that member proves it is the group claimed. Plus the main
 * process's group when the main process leads it.
 */
export function ownGroups(table: ProcessTable, claimed: readonly number[], known: readonly ProcessIdentity[], main?: ProcessInfo): number[] {
  const own = new Set<number>();
  const wanted = new Set(claimed);
  for (const identity of known) {
    const info = table.get(identity.pid);
    if (info?.startTicks === identity.startTicks && info.pgid !== undefined && wanted.has(info.pgid) && !isDead(info)) own.add(info.pgid);
  }
  if (main && main.pgid === main.pid) own.add(main.pid);
  return [...own];
}

export const identityKey = (identity: ProcessIdentity) => `${identity.pid}:${identity.startTicks}`;
