import { isSameProcess, isShellWrapper, type ProcessInfo, readProcess } from '@usrsvc/procscan';
import { childPids } from './childPids.js';
import type { ResolvedContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { isDead, isLiveMatch } from './runningProcess.js';
import { isSignalResetWrapper } from './signalReset.js';

export type LaunchWatch =
  /** A matching process lived until success_seconds ended. */
  | { kind: 'running'; process: ProcessInfo }
  /** Nothing matched (the launched tree may have exited). */
  | { kind: 'no-match'; treeExited: boolean }
  /** Something matched, then died, and nothing replaced it. */
  | { kind: 'died'; process: ProcessInfo };

/** A tick of slack: start times are precise to 10 ms. */
const START_SLACK_MS = 20;
/**
 * While the launched tree lives without a match, scan the whole table only every this many polls
 * (not on the first: the launched process is then often a shell a few exec()s short of being the
 * program, and the next cheap look at the tree finds it).
 */
const SCAN_EVERY_POLLS = 5;

/**
 * Watches a just-launched program for success_seconds. The match is the launched process itself
 * (read cheaply, no scan) or, failing that, a process of its tree that is not an `sh -c` wrapper.
 * Processes seen in the tree are remembered, because a program that daemonizes exits its launcher
 * and its children are reparented out of the tree. When the tree has nothing that matches, any of
 * our processes started since the launch whose title matches is taken (the original scans too).
 * Returns early when the whole tree is gone with nothing matching.
 */
export async function awaitLaunchedProcess(
  program: LauncherProgram,
  ctx: ResolvedContext,
  launchedPid: number,
  launchedAtMs: number,
): Promise<LaunchWatch> {
  const re = program.proctitleRe;
  const deadline = launchedAtMs + program.successSeconds * 1000;
  const isOurs = (info: ProcessInfo) =>
    isLiveMatch(info, re, ctx.uid) && !isShellWrapper(info.argv) && !isSignalResetWrapper(info.argv);
  /** pid -> startTicks of every process seen in the launched tree */
  const seen = new Map<number, number>();
  const launchedTicks = readProcess(launchedPid)?.startTicks;
  if (launchedTicks !== undefined) seen.set(launchedPid, launchedTicks);
  let polls = 0;

  const findMatch = async (): Promise<{ match?: ProcessInfo; treeExited: boolean }> => {
    polls += 1;
    const tree = await walkTree(seen, ctx);
    const inTree = tree.alive.find(isOurs);
    if (inTree) return { match: inTree, treeExited: false };
    const treeExited = tree.alive.length === 0;
    if (!treeExited && polls % SCAN_EVERY_POLLS !== 0) return { treeExited };
    const table = await ctx.snapshot();
    const sinceLaunch = table.processes.find(
      (info) => info.startTime >= launchedAtMs - START_SLACK_MS && info.pid !== process.pid && isOurs(info),
    );
    const fresh = sinceLaunch && readProcess(sinceLaunch.pid);
    return fresh?.startTicks === sinceLaunch?.startTicks && fresh && isOurs(fresh) ? { match: fresh, treeExited } : { treeExited };
  };

  let current: ProcessInfo | undefined;
  let lastMatch: ProcessInfo | undefined;
  for (;;) {
    if (!current || !isSameProcess({ pid: current.pid, startTicks: current.startTicks })) {
      if (current) lastMatch = current;
      const found = await findMatch();
      current = found.match;
      if (current) lastMatch = current;
      else if (found.treeExited) return lastMatch ? { kind: 'died', process: lastMatch } : { kind: 'no-match', treeExited: true };
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(ctx.pollIntervalMs, left)));
  }
  if (current && isSameProcess({ pid: current.pid, startTicks: current.startTicks })) {
    return { kind: 'running', process: readProcess(current.pid) ?? current };
  }
  polls = SCAN_EVERY_POLLS - 1; // the last look always includes the scan
  const last = await findMatch();
  if (last.match) return { kind: 'running', process: last.match };
  return lastMatch ? { kind: 'died', process: lastMatch } : { kind: 'no-match', treeExited: last.treeExited };
}

/**
 * The live processes of the launched tree: every remembered process still alive (reparented or
 * not) and everything below it. Adds what it finds to `seen`.
 */
async function walkTree(seen: Map<number, number>, ctx: ResolvedContext): Promise<{ alive: ProcessInfo[] }> {
  const alive: ProcessInfo[] = [];
  const visited = new Set<number>();
  const queue = [...seen.keys()];
  let table: Awaited<ReturnType<ResolvedContext['snapshot']>> | undefined;
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (visited.has(pid)) continue;
    visited.add(pid);
    const info = readProcess(pid);
    const known = seen.get(pid);
    if (!info || isDead(info) || (known !== undefined && known !== info.startTicks)) continue;
    if (known === undefined) seen.set(pid, info.startTicks);
    alive.push(info);
    let children = childPids(pid);
    if (children === undefined) {
      table ??= await ctx.snapshot();
      children = table.children(pid).map((child) => child.pid);
    }
    queue.push(...children);
  }
  return { alive };
}
