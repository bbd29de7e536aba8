import type { ProcessTable } from '@usrsvc/procscan';
import type { ActionResult } from './ActionResult.js';
import { findRunningProgram } from './findRunningProgram.js';
import type { LaunchContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { ReturnCodes } from './returnCodes.js';

/**
 * 0 and the process when running, 1 when not. Takes no lock (so `status all` stays fast); like the
 * original it may remove a stale pidfile or write one for a process found by scan.
 */
export async function programStatus(program: LauncherProgram, ctx?: LaunchContext, table?: ProcessTable): Promise<ActionResult> {
  const running = await findRunningProgram(program, ctx, table);
  if (running) {
    return { name: program.name, action: 'status', code: ReturnCodes.SUCCESS, outcome: 'running', message: `${program.name} is running [${running.pid}]`, process: running };
  }
  return { name: program.name, action: 'status', code: ReturnCodes.GENERAL_FAILURE, outcome: 'not-running', message: `${program.name} is NOT running` };
}
