import type { ProcessInfo } from '@usrsvc/procscan';
import type { ActionResult, RunningProcess } from './ActionResult.js';
import { findRunning } from './findRunningProgram.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { cookieTree, findCookieLeftovers } from './cookieLeftovers.js';
import { describeLeftovers, liveLeftovers, toLeftover } from './leftovers.js';
import { removePidfile } from './pidfile.js';
import { withProgramLock } from './programLock.js';
import { recordLeft, recordTree } from './rememberProgramTree.js';
import { ReturnCodes } from './returnCodes.js';
import { settle, stopLeftoversResolved } from './stopLeftovers.js';
import { stopTree } from './stopTree.js';
import { markStoppedByUser } from './userStopMark.js';

export interface StopOptions {
  /** A person asked (the CLI): remember it, so usrsvcd does not bring the program back. */
  byUser?: boolean;
}

/**
 * stop_signal (default SIGTERM), then SIGKILL after term_to_kill_seconds, to the program's main
 * process or, with stop_as_group, to its whole tree; removes the pidfile. Not running is success.
 * What of the program's tree still runs afterwards is in `leftovers`.
 */
export async function stopProgram(program: LauncherProgram, ctx?: LaunchContext, options: StopOptions = {}): Promise<ActionResult> {
  const resolved = resolveContext(ctx);
  return withProgramLock(program, resolved, () => stopLocked(program, resolved, options));
}

export async function stopLocked(program: LauncherProgram, ctx: ResolvedContext, options: StopOptions): Promise<ActionResult> {
  if (options.byUser) markStoppedByUser(program.name, ctx);
  const running = await findRunning(program, ctx);
  const result = running ? await terminate(program, ctx, running) : await notRunning(program, ctx);
  // With autopid=False the pidfile is the program's own (postgres's postmaster.pid): left alone.
  if (result.outcome !== 'stop-failed' && program.autoPid) removePidfile(program.pidfile);
  return result;
}

async function terminate(program: LauncherProgram, ctx: ResolvedContext, running: RunningProcess): Promise<ActionResult> {
  const base = { name: program.name, action: 'stop' as const, process: running };
  const table = await ctx.snapshot();
  const inTable = table.get(running.pid);
  const view = recordTree(program.name, ctx, table, inTable?.startTicks === running.startTicks ? inTable : undefined);
  const asGroup = program.stopAsGroup ?? false;
  const signal = program.stopSignal ?? 'SIGTERM';
  // By launch cookie: leftovers of earlier launches, and (a group stop) what escaped the tree.
  const earlier = [...view.earlier, ...findCookieLeftovers(program.name, ctx, table)];
  const escaped = asGroup ? cookieTree(program.name, ctx, table) : [];
  const stopped = await stopTree(
    {
      name: program.name,
      // A process found by its launch is the program whatever its title: no proctitle_re check.
      main: { identity: running.identity, ...(running.foundBy === 'launch' ? {} : { re: program.proctitleRe }) },
      roots: asGroup ? [...earlier, ...escaped] : [],
      groups: asGroup ? view.groups : [],
      withDescendants: asGroup,
      signal,
      termToKillMs: program.termToKillSeconds * 1000,
      table,
    },
    ctx,
  );
  const others = stopped.signalled.filter((p) => p.pid !== running.pid);
  if (stopped.main === 'gone' && others.length === 0) return notRunning(program, ctx);
  if (stopped.main === 'not-permitted') return notPermitted(program, running);
  if (stopped.main === 'survived') {
    return { ...base, code: ReturnCodes.GENERAL_FAILURE, outcome: 'stop-failed', message: `${program.name} [${running.pid}] still running after SIGKILL` };
  }
  const left = await settle(
    [...view.current, ...earlier, ...escaped].filter((p) => p.pid !== running.pid),
    ctx,
  );
  recordLeft(program.name, ctx, left);
  if (left.length > 0) ctx.logger.warn(`${program.name}: ${describeLeft(left)}`);
  const killed = stopped.main === 'killed' || stopped.killed.length > 0;
  const tree = others.length > 0 ? ` with ${others.length} other process${others.length === 1 ? '' : 'es'} of its tree` : '';
  const how = killed ? `killed after ${program.termToKillSeconds} s` : signal === 'SIGTERM' ? 'terminated' : `terminated by ${signal}`;
  return {
    ...base,
    code: ReturnCodes.SUCCESS,
    outcome: killed ? 'killed' : 'terminated',
    message: `${program.name} [${running.pid}]${tree} ${how}${left.length > 0 ? `; ${describeLeft(left)}` : ''}`,
    ...(left.length > 0 ? { leftovers: left.map(toLeftover) } : {}),
  };
}

/** The main process is not running: its leftovers are stopped (stop_as_group) or reported. */
async function notRunning(program: LauncherProgram, ctx: ResolvedContext): Promise<ActionResult> {
  const base = { name: program.name, action: 'stop' as const, code: ReturnCodes.SUCCESS, outcome: 'not-running' as const };
  if (!(program.stopAsGroup ?? false)) {
    findCookieLeftovers(program.name, ctx, await ctx.snapshot());
    const left = liveLeftovers(program.name, ctx);
    if (left.length === 0) return { ...base, message: `${program.name} was not running` };
    return { ...base, message: `${program.name} was not running; ${describeLeft(left)}`, leftovers: left.map(toLeftover) };
  }
  const { stopped, left } = await stopLeftoversResolved(program, ctx);
  const parts = [`${program.name} was not running`];
  if (stopped.length > 0) parts.push(`stopped ${stopped.length} leftover process${stopped.length === 1 ? '' : 'es'} of its earlier run`);
  if (left.length > 0) parts.push(describeLeft(left));
  return { ...base, message: parts.join('; '), ...(left.length > 0 ? { leftovers: left.map(toLeftover) } : {}) };
}

function describeLeft(left: readonly ProcessInfo[]): string {
  const count = `${left.length} process${left.length === 1 ? '' : 'es'}`;
  return `${count} of its tree still run${left.length === 1 ? 's' : ''}: ${describeLeftovers(left.map(toLeftover))}`;
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
