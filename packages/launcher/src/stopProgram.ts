import { isSameProcess, type ProcessIdentity } from '@usrsvc/procscan';
import type { ActionResult, RunningProcess } from './ActionResult.js';
import { findRunning } from './findRunningProgram.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { removePidfile } from './pidfile.js';
import { withProgramLock } from './programLock.js';
import { ReturnCodes } from './returnCodes.js';
import { signalIfSame } from './signalProcess.js';
import { markStoppedByUser } from './userStopMark.js';

export interface StopOptions {
  /** A person asked (the CLI): remember it, so usrsvcd does not bring the program back. */
  byUser?: boolean;
}

/** How long to wait for a SIGKILLed process to be gone. */
const KILL_WAIT_MS = 5_000;

/** SIGTERM, then SIGKILL after term_to_kill_seconds; removes the pidfile. Not running is success. */
export async function stopProgram(program: LauncherProgram, ctx?: LaunchContext, options: StopOptions = {}): Promise<ActionResult> {
  const resolved = resolveContext(ctx);
  return withProgramLock(program, resolved, () => stopLocked(program, resolved, options));
}

export async function stopLocked(program: LauncherProgram, ctx: ResolvedContext, options: StopOptions): Promise<ActionResult> {
  if (options.byUser) markStoppedByUser(program.name, ctx);
  const running = await findRunning(program, ctx);
  const result = running ? await terminate(program, ctx, running) : notRunning(program);
  if (result.outcome !== 'stop-failed') removePidfile(program.pidfile);
  return result;
}

async function terminate(program: LauncherProgram, ctx: ResolvedContext, running: RunningProcess): Promise<ActionResult> {
  const base = { name: program.name, action: 'stop' as const, process: running };
  const re = program.proctitleRe;
  ctx.logger.info(`stopping ${program.name} [${running.pid}]`);
  const term = signalIfSame(running.identity, re, ctx.uid, 'SIGTERM');
  if (term === 'gone') return notRunning(program);
  if (term === 'not-permitted') return notPermitted(program, running);
  if (await waitGone(running.identity, program.termToKillSeconds * 1000, ctx.pollIntervalMs)) {
    return { ...base, code: ReturnCodes.SUCCESS, outcome: 'terminated', message: `${program.name} [${running.pid}] terminated` };
  }
  ctx.logger.warn(`${program.name} [${running.pid}] still running ${program.termToKillSeconds} s after SIGTERM; sending SIGKILL`);
  const kill = signalIfSame(running.identity, re, ctx.uid, 'SIGKILL');
  if (kill === 'not-permitted') return notPermitted(program, running);
  if (kill === 'sent' && !(await waitGone(running.identity, KILL_WAIT_MS, ctx.pollIntervalMs))) {
    return {
      ...base,
      code: ReturnCodes.GENERAL_FAILURE,
      outcome: 'stop-failed',
      message: `${program.name} [${running.pid}] still running after SIGKILL`,
    };
  }
  return {
    ...base,
    code: ReturnCodes.SUCCESS,
    outcome: 'killed',
    message: `${program.name} [${running.pid}] killed after ${program.termToKillSeconds} s`,
  };
}

/** Polls until the process is gone or a zombie; false when it outlives `timeoutMs`. */
async function waitGone(identity: ProcessIdentity, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // Start fast: most programs exit within milliseconds of SIGTERM.
  for (let interval = 5; ; interval = Math.min(interval * 2, pollMs)) {
    if (!isSameProcess(identity)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, left)));
  }
}

function notRunning(program: LauncherProgram): ActionResult {
  return {
    name: program.name,
    action: 'stop',
    code: ReturnCodes.SUCCESS,
    outcome: 'not-running',
    message: `${program.name} was not running`,
  };
}

function notPermitted(program: LauncherProgram, running: RunningProcess): ActionResult {
  return {
    name: program.name,
    action: 'stop',
    code: ReturnCodes.INSUFFICIENT_PERMISSIONS,
    outcome: 'stop-failed',
    message: `not permitted to signal ${program.name} [${running.pid}]`,
    process: running,
  };
}
