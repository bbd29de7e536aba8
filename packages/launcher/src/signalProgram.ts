import type { ProcessInfo } from '@usrsvc/procscan';
import type { ActionResult } from './ActionResult.js';
import { findRunning } from './findRunningProgram.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { collectProgramTree } from './programTree.js';
import { recordTree } from './rememberProgramTree.js';
import { ReturnCodes } from './returnCodes.js';
import { recordSentSignal } from './sentSignals.js';
import { signalIfSame, signalMember } from './signalProcess.js';

export interface SignalOptions {
  /** The program's whole tree (its own process groups and every descendant), as stop_as_group stops it. */
  group?: boolean;
}

/**
 * `usrsvc signal NAME SIGNAL`: sends `signal` to the program's main process (re-checked by PID,
 * start time and proctitle_re right before the kill) or, with `group`, to every process of its
 * tree, each re-checked by PID and start time. 0 when sent; 1 when the program is not running.
 */
export async function signalProgram(
  program: LauncherProgram,
  signal: NodeJS.Signals,
  ctx?: LaunchContext,
  options: SignalOptions = {},
): Promise<ActionResult> {
  return sendSignal(program, signal, resolveContext(ctx), options, 'signal');
}

/**
 * `usrsvc reload NAME`: sends reload_signal to the main process. The PID and restart count do
 * not change, and usrsvcd does not take it for a crash. 0 when sent; 1, saying which, when the
 * program has no reload_signal or is not running.
 */
export async function reloadProgram(program: LauncherProgram, ctx?: LaunchContext): Promise<ActionResult> {
  if (!program.reloadSignal) {
    return {
      name: program.name,
      action: 'reload',
      code: ReturnCodes.GENERAL_FAILURE,
      outcome: 'no-reload-signal',
      message: `${program.name} has no reload_signal: set reload_signal = HUP (or the signal it reloads on) to reload it`,
    };
  }
  return sendSignal(program, program.reloadSignal, resolveContext(ctx), {}, 'reload');
}

async function sendSignal(
  program: LauncherProgram,
  signal: NodeJS.Signals,
  ctx: ResolvedContext,
  options: SignalOptions,
  action: 'signal' | 'reload',
): Promise<ActionResult> {
  const base = { name: program.name, action };
  const running = await findRunning(program, ctx);
  if (!running) {
    return { ...base, code: ReturnCodes.GENERAL_FAILURE, outcome: 'not-running', message: `${program.name} is not running; no ${signal} sent` };
  }
  const done = action === 'reload' ? 'reloaded' : 'signalled';
  // Recorded before the kill: the program may exit of it before we write anything after.
  recordSentSignal(program.name, ctx, { pid: running.pid, startTicks: running.startTicks, signal, at: Date.now() });
  if (!options.group) {
    const outcome = signalIfSame(running.identity, program.proctitleRe, ctx.uid, signal);
    if (outcome === 'sent') {
      return { ...base, code: ReturnCodes.SUCCESS, outcome: done, message: `sent ${signal} to ${program.name} [${running.pid}]`, process: running };
    }
    return {
      ...base,
      code: ReturnCodes.GENERAL_FAILURE,
      outcome: 'not-running',
      message: outcome === 'not-permitted' ? `not permitted to signal ${program.name} [${running.pid}]` : `${program.name} [${running.pid}] exited before ${signal} was sent`,
    };
  }
  const table = await ctx.snapshot();
  const inTable = table.get(running.pid);
  const view = recordTree(program.name, ctx, table, inTable?.startTicks === running.startTicks ? inTable : undefined);
  const members = collectProgramTree(table, { roots: [running.identity, ...view.earlier], groups: view.groups, withDescendants: true }, ctx.uid);
  const sent: ProcessInfo[] = members.filter((member) => signalMember({ pid: member.pid, startTicks: member.startTicks }, ctx.uid, signal) === 'sent');
  if (sent.length === 0) {
    return { ...base, code: ReturnCodes.GENERAL_FAILURE, outcome: 'not-running', message: `${program.name}: no process of its tree was left to signal` };
  }
  const pids = sent.map((member) => member.pid).join(', ');
  return { ...base, code: ReturnCodes.SUCCESS, outcome: done, message: `sent ${signal} to ${sent.length} processes of ${program.name} [${pids}]`, process: running };
}
