import { isSameProcess } from '@usrsvc/procscan';
import type { RunningProcess } from './ActionResult.js';
import { checkPidfile } from './findRunningProgram.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { cookieCarriers } from './cookieCarriers.js';
import { readLaunchRecord } from './launchRecord.js';
import { readPidfile } from './pidfile.js';
import { isLiveMatch } from './runningProcess.js';

/**
 * What the program's own pidfile (autopid = False) says once the process usrsvcd watched has
 * exited, from one reading of it, so that a successor writing it meanwhile cannot fall between
 * two reads:
 * - `successor`: it names another live process that is the program (nginx and gunicorn re-execute
 *   themselves on USR2 and write the new master's PID): followed rather than restarted;
 * - `removed`: it is missing or empty: the exited process removed it on its way out, and a
 *   successor may yet write it;
 * - `kept`: it names the exited PID (a crash leaves it so) or a process that is not the program,
 *   or the pidfile is usrsvc's own (autopid).
 */
export type PidfileAfterExit = { kind: 'successor'; successor: RunningProcess } | { kind: 'removed' } | { kind: 'kept' };

export function pidfileAfterExit(program: LauncherProgram, gone: { pid: number }, ctx?: LaunchContext): PidfileAfterExit {
  if (program.autoPid) return { kind: 'kept' };
  const pid = readPidfile(program.pidfile);
  if (pid === undefined) return { kind: 'removed' };
  const successor = pid === gone.pid ? undefined : checkPidfile(program, resolveContext(ctx), pid);
  return successor ? { kind: 'successor', successor } : { kind: 'kept' };
}

/** How long a successor of the same launch may take to write the pidfile its predecessor removed. */
export const SUCCESSOR_GRACE_MS = 5_000;

/** The end of awaitPidfileSuccessor: the successor, or why there is none (for the log). */
export type SuccessorSearch = { successor: RunningProcess } | { successor: undefined; why: string };

/**
 * For the order in which gunicorn hands over: nginx's new master has written the pidfile before
 * the old one exits, but gunicorn's old master removes the pidfile as it exits and only then does
 * the new one (its re-executed child) notice and write it, within a second. After the pidfile was
 * found removed (pidfileAfterExit), this waits up to graceMs for it to name a live successor while
 * a live process of the exited one's launch (it carries the launch cookie) matches proctitle_re,
 * and gives up as soon as none is left.
 */
export async function awaitPidfileSuccessor(
  program: LauncherProgram,
  gone: { pid: number },
  ctx?: LaunchContext,
  { graceMs = SUCCESSOR_GRACE_MS, intervalMs = 50 } = {},
): Promise<SuccessorSearch> {
  const resolved = resolveContext(ctx);
  const heirs = await possibleHeirs(program, gone, resolved);
  const deadline = Date.now() + graceMs;
  for (;;) {
    const now = pidfileAfterExit(program, gone, resolved);
    if (now.kind === 'successor') return now;
    if (!heirs.some(isSameProcess)) {
      const why = heirs.length === 0 ? 'no other process of its launch matches proctitle_re' : 'the other processes of its launch have exited';
      return { successor: undefined, why: `its pidfile names no successor, and ${why}` };
    }
    if (Date.now() >= deadline) return { successor: undefined, why: `no process of its launch wrote its pidfile within ${graceMs / 1000} s` };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Live processes of the launch `gone` belonged to that match proctitle_re: what may take over its pidfile. */
async function possibleHeirs(program: LauncherProgram, gone: { pid: number }, ctx: ResolvedContext) {
  const record = readLaunchRecord(program.name, ctx);
  if (!record) return [];
  return cookieCarriers(await ctx.snapshot(), program.name, ctx.uid, record.since)
    .filter((carrier) => carrier.launch === record.launchId && carrier.info.pid !== gone.pid && isLiveMatch(carrier.info, program.proctitleRe, ctx.uid))
    .map((carrier) => ({ pid: carrier.info.pid, startTicks: carrier.info.startTicks }));
}
