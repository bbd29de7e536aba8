import type { ProcessInfo } from '@usrsvc/procscan';
import { isSameProcess } from '@usrsvc/procscan';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { findCookieLeftovers } from './cookieLeftovers.js';
import { liveLeftovers } from './leftovers.js';
import { recordLeft, recordTree } from './rememberProgramTree.js';
import { stopTree, waitAllGone } from './stopTree.js';

export interface LeftoversStop {
  /** The leftovers that got a signal. */
  stopped: ProcessInfo[];
  /** What still runs afterwards. */
  left: ProcessInfo[];
  /** Snapshots taken. */
  passes: number;
}

type StopSettings = Pick<LauncherProgram, 'name' | 'termToKillSeconds'> & Partial<Pick<LauncherProgram, 'stopSignal'>>;

/**
 * Stops what is left of the program's earlier trees while its main process is NOT running (the
 * workers of a crashed master, still holding its port): the recorded processes that still run
 * (PID and start time), the members of its own process groups and every descendant, with
 * stop_signal, then SIGKILL after term_to_kill_seconds. Processes carrying the program's launch
 * cookie of a launch whose main process is gone count too (found in one snapshot, environs read). startProgram calls it before launching a
 * program with stop_as_group, so usrsvcd's restart after a crash gets it too.
 */
export async function stopLeftovers(program: StopSettings, ctx?: LaunchContext): Promise<LeftoversStop> {
  return stopLeftoversResolved(program, resolveContext(ctx));
}

export async function stopLeftoversResolved(program: StopSettings, ctx: ResolvedContext): Promise<LeftoversStop> {
  const table = await ctx.snapshot();
  findCookieLeftovers(program.name, ctx, table);
  if (liveLeftovers(program.name, ctx).length === 0) return { stopped: [], left: [], passes: 0 };
  const view = recordTree(program.name, ctx, table, undefined);
  ctx.logger.warn(`${program.name}: stopping ${view.earlier.length} leftover process(es) of its earlier run`);
  const result = await stopTree(
    {
      name: program.name,
      roots: view.earlier,
      groups: view.groups,
      withDescendants: true,
      signal: program.stopSignal ?? 'SIGTERM',
      termToKillMs: program.termToKillSeconds * 1000,
      table,
    },
    ctx,
  );
  const left = await settle([...view.earlier, ...result.signalled], ctx);
  recordLeft(program.name, ctx, left);
  return { stopped: result.signalled, left, passes: result.passes };
}

/** A process of the tree may exit on its own a moment after its parent: wait this long before calling it a leftover. */
const LEFTOVER_GRACE_MS = 500;

/** Those of `processes` (deduplicated) that still run after a short grace. */
export async function settle(processes: readonly ProcessInfo[], ctx: ResolvedContext): Promise<ProcessInfo[]> {
  const unique = [...new Map(processes.map((p) => [p.pid, p])).values()];
  await waitAllGone(unique, Date.now() + LEFTOVER_GRACE_MS, ctx.pollIntervalMs);
  return unique.filter((p) => isSameProcess(p));
}
