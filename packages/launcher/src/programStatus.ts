import type { ProcessTable } from '@usrsvc/procscan';
import type { ActionResult } from './ActionResult.js';
import { findCookieLeftovers, launchEndedUnlooked } from './cookieLeftovers.js';
import { findRunning } from './findRunningProgram.js';
import type { LaunchContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { describeLeftovers, liveLeftovers, toLeftover } from './leftovers.js';
import { readNotifyState } from './NotifyListener.js';
import { ReturnCodes } from './returnCodes.js';

/**
 * 0 and the process when running, 1 when not; `leftovers`: processes of an earlier tree of the
 * program that still run (from its tree record, re-checked by PID and start time; after its last
 * launch ended, once, by launch cookie in the processes' environs). Takes no lock
 * (so `status all` stays fast); like the original it may remove a stale pidfile or write one for
 * a process found by scan.
 */
export async function programStatus(program: LauncherProgram, ctx?: LaunchContext, table?: ProcessTable): Promise<ActionResult> {
  const resolved = resolveContext(ctx);
  const running = await findRunning(program, resolved, table);
  if (!running && launchEndedUnlooked(program.name, resolved)) findCookieLeftovers(program.name, resolved, table ?? (await resolved.snapshot()));
  const leftovers = liveLeftovers(program.name, resolved, running?.identity).map(toLeftover);
  const extra = leftovers.length > 0 ? { leftovers } : {};
  const note = leftovers.length > 0 ? `; processes of an earlier run still run: ${describeLeftovers(leftovers)}` : '';
  if (running) {
    // sd_notify's last STATUS=, as kept by whoever started the program (the CLI or usrsvcd).
    const status = program.readyCheck?.kind === 'notify' ? readNotifyState(program.name, resolved)?.status : undefined;
    const readiness = status === undefined ? {} : { readiness: { check: 'notify', status } };
    return { name: program.name, action: 'status', code: ReturnCodes.SUCCESS, outcome: 'running', message: `${program.name} is running [${running.pid}]${note}`, process: running, ...extra, ...readiness };
  }
  return { name: program.name, action: 'status', code: ReturnCodes.GENERAL_FAILURE, outcome: 'not-running', message: `${program.name} is NOT running${note}`, ...extra };
}
