import { isDeadState, isShellWrapper, type ProcessInfo, type ProcessTable, readProcess } from '@usrsvc/procscan';
import type { RunningProcess } from './ActionResult.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { readPidfile, removePidfile, writePidfile } from './pidfile.js';
import { isLiveMatch, toRunningProcess } from './runningProcess.js';

/**
 * The program's running process, as the original's getRunningProgram: the pidfile's process when
 * it is ours, alive and matches proctitle_re; a stale pidfile is removed (with a warning); then,
 * when scan_for_process, the first of our processes whose title matches (not an `sh -c` wrapper),
 * whose PID is written to the pidfile when autopid. `table`, when given, is used for the scan.
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
  if (!program.scanForProcess) return undefined;
  const scanned = scanForProgram(program, ctx, table ?? (await ctx.snapshot()));
  if (!scanned) return undefined;
  ctx.logger.info(`matched ${program.name} to running process ${scanned.pid}: ${scanned.cmdline}`);
  if (program.autoPid) writePidfile(program.pidfile, scanned.pid);
  return toRunningProcess(scanned, 'scan');
}

/** The pidfile's process when it is the program; a stale pidfile is removed. */
export function checkPidfile(program: LauncherProgram, ctx: ResolvedContext): RunningProcess | undefined {
  const pid = readPidfile(program.pidfile);
  if (pid === undefined) return undefined;
  const info = readProcess(pid);
  if (isLiveMatch(info, program.proctitleRe, ctx.uid)) return toRunningProcess(info, 'pidfile');
  const why = describeMismatch(info, ctx.uid);
  ctx.logger.warn(`stale pidfile for ${program.name} at ${program.pidfile} (pid ${pid} ${why}); removing it`);
  removePidfile(program.pidfile);
  return undefined;
}

function describeMismatch(info: ProcessInfo | undefined, uid: number): string {
  if (!info) return 'is not running';
  if (isDeadState(info.state)) return 'is a zombie';
  if (info.uid !== uid) return `belongs to uid ${info.uid}`;
  return `is "${info.cmdline}", which does not match proctitle_re`;
}

/** The first live match in the table that is still the same process now (the table may be shared and old). */
function scanForProgram(program: LauncherProgram, ctx: ResolvedContext, table: ProcessTable): ProcessInfo | undefined {
  for (const candidate of table.processes) {
    if (candidate.pid === process.pid || isShellWrapper(candidate.argv)) continue;
    if (!isLiveMatch(candidate, program.proctitleRe, ctx.uid)) continue;
    const now = readProcess(candidate.pid);
    if (now?.startTicks === candidate.startTicks && isLiveMatch(now, program.proctitleRe, ctx.uid)) return now;
  }
  return undefined;
}
