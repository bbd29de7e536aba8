import { isSameProcess, isShellWrapper, type ProcessInfo, readProcess } from '@usrsvc/procscan';
import { childPids } from './childPids.js';
import type { ResolvedContext, WatchExit } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { isDead, isLiveMatch, searchMatches } from './runningProcess.js';
import { isSignalResetWrapper } from './signalReset.js';

export type LaunchWatch =
  /** A matching process lived until success_seconds ended. */
  | { kind: 'running'; process: ProcessInfo }
  /** Nothing matched (the launched tree may have exited). */
  | { kind: 'no-match'; treeExited: boolean }
  /**
   * Something matched, then died, and nothing replaced it; or the launch proved it ran the program
   * (launchedTitle given) and its whole tree exited before any look saw a match.
   */
  | { kind: 'died'; pid: number };

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
 * Returns early when the whole tree is gone with nothing matching. `launchedTitle`: the argv the
 * launch exec'd, when the launch proves it ran (see startProgram's launchRan).
 */
export async function awaitLaunchedProcess(
  program: LauncherProgram,
  ctx: ResolvedContext,
  launchedPid: number,
  launchedAtMs: number,
  launchedTitle?: string,
): Promise<LaunchWatch> {
  const re = program.proctitleRe;
  const deadline = launchedAtMs + program.successSeconds * 1000;
  const launchedInfo = readProcess(launchedPid);
  const launchedTicks = launchedInfo?.startTicks;
  // The launch's own session: a child the launched process forked before it exited is reparented
  // out of the tree, but stays in the session until it calls setsid itself.
  const launchSession = launchedInfo?.sid !== undefined && launchedInfo.sid !== readProcess(process.pid)?.sid ? launchedInfo.sid : undefined;
  // The launched process, once it is the program (no longer a wrapper), is the program by its
  // launch when the title it was launched with matches: redis rewrites its title at once.
  const launchedMatches = launchedTitle !== undefined && searchMatches(re, launchedTitle);
  const isLaunched = (info: ProcessInfo) =>
    launchedMatches && info.pid === launchedPid && info.startTicks === launchedTicks && info.uid === ctx.uid && !isDead(info);
  const isOurs = (info: ProcessInfo) =>
    (isLiveMatch(info, re, ctx.uid) || isLaunched(info)) && !isShellWrapper(info.argv) && !isSignalResetWrapper(info.argv);
  /** pid -> startTicks of every process seen in the launched tree */
  const seen = new Map<number, number>();
  if (launchedTicks !== undefined) seen.set(launchedPid, launchedTicks);
  let polls = 0;

  const findMatch = async (): Promise<{ match?: ProcessInfo; treeExited: boolean }> => {
    polls += 1;
    const tree = await walkTree(seen, ctx);
    const inTree = tree.alive.find(isOurs);
    if (inTree) return { match: inTree, treeExited: false };
    let treeExited = tree.alive.length === 0;
    if (!treeExited && polls % SCAN_EVERY_POLLS !== 0) return { treeExited };
    const table = await ctx.snapshot();
    if (treeExited && launchSession !== undefined) {
      const inSession = table.processes.filter(
        (info) => info.sid === launchSession && info.uid === ctx.uid && !isDead(info) && info.startTime >= launchedAtMs - START_SLACK_MS,
      );
      for (const info of inSession) seen.set(info.pid, info.startTicks);
      treeExited = inSession.length === 0;
    }
    const sinceLaunch = table.processes.find(
      (info) => info.startTime >= launchedAtMs - START_SLACK_MS && info.pid !== process.pid && isOurs(info),
    );
    const fresh = sinceLaunch && readProcess(sinceLaunch.pid);
    return fresh?.startTicks === sinceLaunch?.startTicks && fresh && isOurs(fresh) ? { match: fresh, treeExited } : { treeExited };
  };

  const gone = (): LaunchWatch => (launchedTitle !== undefined ? { kind: 'died', pid: launchedPid } : { kind: 'no-match', treeExited: true });
  let current: ProcessInfo | undefined;
  let lastMatch: ProcessInfo | undefined;
  for (;;) {
    if (!current || !isSameProcess({ pid: current.pid, startTicks: current.startTicks })) {
      if (current) lastMatch = current;
      const found = await findMatch();
      current = found.match;
      if (current) lastMatch = current;
      else if (found.treeExited) return lastMatch ? { kind: 'died', pid: lastMatch.pid } : gone();
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    if (current && ctx.watchExit) await exitOrTimeout(ctx.watchExit, current, left, ctx.pollIntervalMs);
    else await new Promise((resolve) => setTimeout(resolve, Math.min(ctx.pollIntervalMs, left)));
  }
  if (current && isSameProcess({ pid: current.pid, startTicks: current.startTicks })) {
    return { kind: 'running', process: readProcess(current.pid) ?? current };
  }
  polls = SCAN_EVERY_POLLS - 1; // the last look always includes the scan
  const last = await findMatch();
  if (last.match) return { kind: 'running', process: last.match };
  if (lastMatch) return { kind: 'died', pid: lastMatch.pid };
  return last.treeExited ? gone() : { kind: 'no-match', treeExited: false };
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

/**
 * Resolves when the matched process exits or after `ms`, whichever comes first: while the match
 * lives nothing is learnt by looking at it, and 200 starts polling every 50 ms would keep a core
 * busy during a cold start.
 */
function exitOrTimeout(watchExit: WatchExit, info: ProcessInfo, ms: number, pollMs: number): Promise<void> {
  return new Promise((resolve) => {
    let watch: { close(): void } | undefined;
    const done = () => {
      clearTimeout(timer);
      watch?.close();
      resolve();
    };
    let timer = setTimeout(done, ms);
    try {
      watch = watchExit({ pid: info.pid, startTicks: info.startTicks }, done);
    } catch {
      // Cannot watch it (EMFILE...): look again after a poll interval, as without watchExit.
      clearTimeout(timer);
      timer = setTimeout(done, Math.min(pollMs, ms));
    }
  });
}
