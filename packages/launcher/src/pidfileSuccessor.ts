import { isSameProcess } from '@usrsvc/procscan';
import type { RunningProcess } from './ActionResult.js';
import { checkPidfile } from './findRunningProgram.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { cookieCarriers } from './launchCookie.js';
import { readLaunchRecord } from './launchRecord.js';
import { readPidfile } from './pidfile.js';
import { isLiveMatch } from './runningProcess.js';

/**
 * A program that re-executes itself on a signal (nginx and gunicorn on USR2) writes its new
 * master's PID to its own pidfile (autopid = False): when the process usrsvcd watched exits, the
 * live process the pidfile now names, if it is another one, is the program, followed rather than
 * restarted. Undefined with autopid (the pidfile is ours) or when the pidfile names no live match.
 */
export function pidfileSuccessor(program: LauncherProgram, gone: { pid: number }, ctx?: LaunchContext): RunningProcess | undefined {
  if (program.autoPid) return undefined;
  const found = checkPidfile(program, resolveContext(ctx));
  return found && found.pid !== gone.pid ? found : undefined;
}

/** How long a successor of the same launch may take to write the pidfile its predecessor removed. */
export const SUCCESSOR_GRACE_MS = 5_000;

/**
 * The program's own pidfile (autopid = False) is gone: the process that exited removed it on its
 * way out (a crash leaves it naming the dead PID), and a successor may yet write it.
 */
export function pidfileRemoved(program: LauncherProgram): boolean {
  return !program.autoPid && readPidfile(program.pidfile) === undefined;
}

/**
 * pidfileSuccessor, for the order in which gunicorn hands over: nginx's new master has written the
 * pidfile before the old one exits, but gunicorn's old master removes the pidfile as it exits and
 * only then does the new one (its re-executed child) notice and write it, within a second. When
 * the pidfile was removed (pidfileRemoved) and a live process of the exited one's launch (it
 * carries the launch cookie) matches proctitle_re, this waits up to graceMs for the pidfile to
 * name a live match. Resolves undefined at once without such a process, and as soon as none is left.
 */
export async function awaitPidfileSuccessor(
  program: LauncherProgram,
  gone: { pid: number },
  ctx?: LaunchContext,
  { graceMs = SUCCESSOR_GRACE_MS, intervalMs = 50 } = {},
): Promise<RunningProcess | undefined> {
  const resolved = resolveContext(ctx);
  const now = pidfileSuccessor(program, gone, resolved);
  if (now || !pidfileRemoved(program)) return now;
  const heirs = await possibleHeirs(program, gone, resolved);
  const deadline = Date.now() + graceMs;
  while (heirs.some(isSameProcess) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const named = readPidfile(program.pidfile);
    if (named !== undefined && named !== gone.pid) return pidfileSuccessor(program, gone, resolved);
  }
  return undefined;
}

/** Live processes of the launch `gone` belonged to that match proctitle_re: what may take over its pidfile. */
async function possibleHeirs(program: LauncherProgram, gone: { pid: number }, ctx: ResolvedContext) {
  const record = readLaunchRecord(program.name, ctx);
  if (!record) return [];
  return cookieCarriers(await ctx.snapshot(), program.name, ctx.uid, record.since)
    .filter((carrier) => carrier.launch === record.launchId && carrier.info.pid !== gone.pid && isLiveMatch(carrier.info, program.proctitleRe, ctx.uid))
    .map((carrier) => ({ pid: carrier.info.pid, startTicks: carrier.info.startTicks }));
}
