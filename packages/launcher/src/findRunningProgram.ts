import { isDeadState, isShellWrapper, type ProcessInfo, type ProcessTable, readProcess } from '@usrsvc/procscan';
import type { RunningProcess } from './ActionResult.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { readPidfile, removePidfile, writePidfile } from './pidfile.js';
import { readLaunchCookie } from './launchCookie.js';
import { parseInstanceName } from '@usrsvc/config';
import { isLaunchedMain, launchIsOver, type LaunchRecord, liveLaunchedMain, readLaunchRecord, writeLaunchRecord } from './launchRecord.js';
import { liveLeftovers } from './leftovers.js';
import { isDead, isLiveMatch, searchMatches, toRunningProcess } from './runningProcess.js';

/**
 * The program's running process: the pidfile's process when it is ours, alive, and either the main
 * process of the program's recorded launch or matching proctitle_re; then the recorded launch's
 * main process while it lives, whatever its title; then, when scan_for_process, the first of our
 * processes whose title matches (not an `sh -c` wrapper, not a leftover carrying the program's
 * launch cookie), whose PID is written to the pidfile when autopid. `table`, when given, is used
 * for the scan.
 */
export async function findRunningProgram(
  program: LauncherProgram,
  ctx?: LaunchContext,
  table?: ProcessTable,
): Promise<RunningProcess | undefined> {
  return findRunning(program, resolveContext(ctx), table);
}

export async function findRunning(
  program: LauncherProgram,
  ctx: ResolvedContext,
  table?: ProcessTable,
): Promise<RunningProcess | undefined> {
  const fromPidfile = checkPidfile(program, ctx);
  if (fromPidfile) return fromPidfile;
  const launched = fromLaunchRecord(program, ctx);
  if (launched) return launched;
  if (!program.scanForProcess) return undefined;
  const scanned = scanForProgram(program, ctx, table ?? (await ctx.snapshot()));
  if (!scanned) return undefined;
  ctx.logger.info(`matched ${program.name} to running process ${scanned.pid}: ${scanned.cmdline}`);
  if (program.autoPid) writePidfile(program.pidfile, scanned.pid);
  return toRunningProcess(scanned, 'scan');
}

/**
 * The pidfile's process when it is the program: alive, ours, and either the main process of the
 * program's recorded launch (whatever its title has become) or matching proctitle_re. A stale
 * pidfile is removed only when usrsvc owns it (autopid) and, when it names a zombie, nothing of
 * the program's recorded tree still runs (postgres's postmaster.pid while its processes exit).
 * `pid` is what the pidfile names, when the caller has read it already.
 */
export function checkPidfile(program: LauncherProgram, ctx: ResolvedContext, pid = readPidfile(program.pidfile)): RunningProcess | undefined {
  if (pid === undefined) return undefined;
  const info: ProcessInfo | undefined = readProcess(pid);
  const liveOurs = info !== undefined && !isDead(info) && info.uid === ctx.uid;
  // The common case first: no state file is read.
  if (liveOurs && searchMatches(program.proctitleRe, info.cmdline)) return toRunningProcess(info, 'pidfile');
  if (liveOurs) {
    const record = readLaunchRecord(program.name, ctx);
    if (isLaunchedMain(record, info)) return launchedProcess(program, ctx, record!, info);
  }
  const why = describeMismatch(info, ctx.uid);
  if (!program.autoPid) {
    ctx.logger.info(`pidfile of ${program.name} at ${program.pidfile} names pid ${pid}, which ${why}: not running (autopid=False: the pidfile is the program's, left as it is)`);
    return undefined;
  }
  if (info && isDead(info) && liveLeftovers(program.name, ctx).length > 0) {
    ctx.logger.info(`pidfile of ${program.name} at ${program.pidfile} names pid ${pid}, which is a zombie while processes of its tree still run: not running, pidfile kept`);
    return undefined;
  }
  ctx.logger.warn(`stale pidfile for ${program.name} at ${program.pidfile} (pid ${pid} ${why}); removing it`);
  removePidfile(program.pidfile);
  return undefined;
}

/**
 * The main process of the program's last launch, when it still runs although the pidfile does
 * not name it (removed, or written by the program with another PID): it is the program.
 */
function fromLaunchRecord(program: LauncherProgram, ctx: ResolvedContext): RunningProcess | undefined {
  const record = readLaunchRecord(program.name, ctx);
  const main = liveLaunchedMain(record, ctx.uid);
  if (!main) return undefined;
  if (program.autoPid) writePidfile(program.pidfile, main.pid);
  return launchedProcess(program, ctx, record!, main);
}

/** A process usrsvc launched for the program: its title no longer matching is said once. */
function launchedProcess(program: LauncherProgram, ctx: ResolvedContext, record: LaunchRecord, info: ProcessInfo): RunningProcess {
  if (!record.titleWarned && !searchMatches(program.proctitleRe, info.cmdline)) {
    ctx.logger.warn(
      `${program.name} [${info.pid}] now calls itself "${info.cmdline}", which does not match proctitle_re (${program.proctitleRe.source}); it is still the program usrsvc launched`,
    );
    writeLaunchRecord(program.name, ctx, { ...record, titleWarned: true });
  }
  return toRunningProcess(info, 'launch');
}

function describeMismatch(info: ProcessInfo | undefined, uid: number): string {
  if (!info) return 'is not running';
  if (isDeadState(info.state)) return 'is a zombie';
  if (info.uid !== uid) return `belongs to uid ${info.uid}`;
  return `is "${info.cmdline}", which does not match proctitle_re`;
}

/**
 * The first live match in the table that is still the same process now (the table may be shared
 * and old). A process carrying the program's own launch cookie is never adopted: its launch's main
 * process is gone (or it would have been found above), so it is a leftover (gunicorn's workers
 * have their master's title).
 */
/** web@0 and web@2: instances of one program, which may share a title but never a process. */
function isSiblingInstance(launchedAs: string, name: string): boolean {
  if (launchedAs === name) return false;
  const group = parseInstanceName(name)?.program;
  return group !== undefined && parseInstanceName(launchedAs)?.program === group;
}

function scanForProgram(program: LauncherProgram, ctx: ResolvedContext, table: ProcessTable): ProcessInfo | undefined {
  // A start in progress has recorded its launch but not yet its main process: that launch's
  // processes are the program, not leftovers. Read only once a candidate matches.
  let liveLaunch: { id: string | undefined } | undefined;
  const liveLaunchId = () => {
    if (!liveLaunch) {
      const record = readLaunchRecord(program.name, ctx);
      liveLaunch = { id: record && !launchIsOver(record) ? record.launchId : undefined };
    }
    return liveLaunch.id;
  };
  for (const candidate of table.candidates(program.proctitleRe)) {
    if (candidate.pid === process.pid || !isLiveMatch(candidate, program.proctitleRe, ctx.uid) || isShellWrapper(candidate.argv)) continue;
    const now = readProcess(candidate.pid);
    if (now?.startTicks !== candidate.startTicks || !isLiveMatch(now, program.proctitleRe, ctx.uid)) continue;
    const cookie = readLaunchCookie(now.pid);
    if (cookie?.program === program.name && cookie.launch !== liveLaunchId()) {
      ctx.logger.debug(`${program.name}: not adopting pid ${now.pid}: it is left from an earlier launch of it`);
      continue;
    }
    if (cookie && isSiblingInstance(cookie.program, program.name)) {
      ctx.logger.debug(`${program.name}: not adopting pid ${now.pid}: usrsvc launched it as ${cookie.program}`);
      continue;
    }
    return now;
  }
  return undefined;
}
