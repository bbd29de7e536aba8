import type { ProcessIdentity, ProcessInfo, ProcessTable } from '@usrsvc/procscan';
import type { RunningProcess } from './ActionResult.js';
import { findRunning } from './findRunningProgram.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { collectProgramTree, identityKey, mayBelong, ownGroups } from './programTree.js';
import { readTreeRecord, type TreeMember, writeTreeRecord, writeTreeRecordAsync } from './treeRecord.js';

/** What one look at a program's tree found. */
export interface TreeView {
  /** The main process's tree now: itself, the members of its own group, every descendant. */
  current: ProcessInfo[];
  /** Live processes of the program's earlier trees (an earlier main process's, now gone or replaced). */
  earlier: ProcessInfo[];
  /** The program's own process groups that still have members. */
  groups: number[];
}

/**
 * Records in the state folder (trees/<program>.json) the identities of every process of the
 * program's tree that `table` shows — its main process, its descendants and the members of its own
 * group — merged with the live processes of earlier trees, so that they are still known (by PID
 * and start time) after the main process is gone and its children are reparented away. `main`:
 * the program's main process (default: found through its pidfile or `table`). The daemon calls
 * this at each pass for programs with stop_as_group; start and stop call it themselves.
 */
export async function rememberProgramTree(
  program: LauncherProgram,
  ctx?: LaunchContext,
  table?: ProcessTable,
  main?: RunningProcess,
): Promise<TreeView> {
  const resolved = resolveContext(ctx);
  const snapshot = table ?? (await resolved.snapshot());
  const running = main ?? (await findRunning(program, resolved, snapshot));
  const seen = running && snapshot.get(running.pid);
  return recordTree(program.name, resolved, snapshot, seen?.startTicks === running?.startTicks ? seen : undefined);
}

/** rememberProgramTree with everything resolved; `main` must be the table's own entry. */
export function recordTree(name: string, ctx: ResolvedContext, table: ProcessTable, main: ProcessInfo | undefined): TreeView {
  const previous = readTreeRecord(name, ctx);
  const recorded = previous?.members ?? [];
  const groups = ownGroups(table, previous?.groups ?? [], main ? [...recorded, main] : recorded, main);
  const mainKey = main ? identityKey(main) : undefined;
  const members = new Map<number, TreeMember>();
  const current = main
    ? collectProgramTree(table, { roots: [main], groups: groups.filter((g) => g === main.pgid), withDescendants: true }, ctx.uid)
    : [];
  for (const info of current) members.set(info.pid, toMember(info, mainKey!));

  const alive = recorded.filter((m) => {
    const info = table.get(m.pid);
    return info?.startTicks === m.startTicks && mayBelong(info, ctx.uid) && !members.has(m.pid);
  });
  const earlierKey = alive[0]?.main ?? previous?.main ?? 'earlier';
  const earlierScope = { roots: alive, groups: groups.filter((g) => g !== main?.pgid), withDescendants: true };
  const earlier = collectProgramTree(table, earlierScope, ctx.uid).filter((info) => !members.has(info.pid));
  for (const info of earlier) {
    members.set(info.pid, toMember(info, alive.find((m) => m.pid === info.pid)?.main ?? earlierKey));
  }
  writeTreeRecord(name, ctx, { main: mainKey, groups, members: [...members.values()] });
  return { current, earlier, groups };
}

/**
 * Right after a launch: the launched process and the process group the launcher created for it
 * (the launching shell's session). Earlier members are kept.
 */
export async function recordLaunch(name: string, ctx: ResolvedContext, launched: ProcessInfo): Promise<void> {
  const previous = readTreeRecord(name, ctx);
  const groups = new Set(previous?.groups ?? []);
  if (launched.pgid !== undefined) groups.add(launched.pgid);
  const members = (previous?.members ?? []).filter((m) => m.pid !== launched.pid);
  members.push(toMember(launched, identityKey(launched)));
  await writeTreeRecordAsync(name, ctx, { main: identityKey(launched), groups: [...groups], members });
}

/**
 * Adds processes found outside the recorded tree (by their launch cookie) as members seen under
 * `main` (an identityKey, or 'earlier' for leftovers), keeping the record's groups and main.
 */
export function recordEscaped(name: string, ctx: ResolvedContext, found: readonly ProcessInfo[], main: string): void {
  const previous = readTreeRecord(name, ctx);
  const members = new Map((previous?.members ?? []).map((m) => [m.pid, m]));
  let changed = false;
  for (const info of found) {
    const known = members.get(info.pid);
    if (known?.startTicks === info.startTicks) continue;
    members.set(info.pid, toMember(info, main));
    changed = true;
  }
  if (changed) writeTreeRecord(name, ctx, { main: previous?.main, groups: previous?.groups ?? [], members: [...members.values()] });
}

/** Forgets every member but `keep` (what a stop left running). */
export function recordLeft(name: string, ctx: ResolvedContext, keep: readonly ProcessIdentity[]): void {
  const previous = readTreeRecord(name, ctx);
  if (!previous) return;
  const kept = new Set(keep.map(identityKey));
  writeTreeRecord(name, ctx, { main: undefined, groups: previous.groups, members: previous.members.filter((m) => kept.has(identityKey(m))) });
}

function toMember(info: ProcessInfo, main: string): TreeMember {
  return { pid: info.pid, startTicks: info.startTicks, ...(info.pgid === undefined ? {} : { pgid: info.pgid }), cmdline: info.cmdline, main };
}
