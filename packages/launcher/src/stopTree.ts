import { isSameProcess, type ProcessIdentity, type ProcessInfo, type ProcessTable } from '@usrsvc/procscan';
import type { ResolvedContext } from './LaunchContext.js';
import { collectProgramTree, identityKey } from './programTree.js';
import { type SignalOutcome, signalIfSame, signalMember } from './signalProcess.js';

export interface TreeStopPlan {
  /** For log lines: the program's name. */
  name: string;
  /**
   * The main process: before each signal it must still match proctitle_re as well (`re`), unless
   * it is the main process of the program's recorded launch (no `re`: the launch proves it).
   */
  main?: { identity: ProcessIdentity; re?: RegExp };
  /** Other processes of the program, by identity (recorded leftovers). */
  roots: readonly ProcessIdentity[];
  /** The program's own process groups (ownGroups): every member is signalled. */
  groups: readonly number[];
  /** Every descendant of the main process, of a root or of a group member is signalled too. */
  withDescendants: boolean;
  /** The first signal (stop_signal). */
  signal: NodeJS.Signals;
  /** term_to_kill_seconds, in ms: then SIGKILL to whatever of the program still runs. */
  termToKillMs: number;
  /** A snapshot just taken, used for the first pass. */
  table?: ProcessTable;
}

export interface TreeStopResult {
  /** What happened to the main process: 'gone' when it had exited before its first signal. */
  main: 'terminated' | 'killed' | 'gone' | 'not-permitted' | 'survived' | 'none';
  /** Every process that got a signal. */
  signalled: ProcessInfo[];
  /** The processes that got SIGKILL. */
  killed: ProcessInfo[];
  /** Still running at the end: not permitted, or alive after SIGKILL. */
  survivors: ProcessInfo[];
  /** Process-table snapshots taken: one per pass. */
  passes: number;
}

/** How long to wait for SIGKILLed processes to be gone. */
const KILL_WAIT_MS = 5_000;
/** A tree that keeps forking new members is not chased forever. */
const MAX_PASSES = 10;

/**
 * Stops a program's processes in passes. Each pass takes ONE snapshot, collects the program's
 * live processes in it (collectProgramTree), signals each one that has not had this pass's signal
 * yet (re-checked by PID and start time right before), then waits for all of them to be gone by
 * re-reading their identities (no scan). The first signal is plan.signal; at termToKillMs the
 * next pass sends SIGKILL. When the program has an own group, a last pass checks that no member
 * forked while it stopped is left.
 */
export async function stopTree(plan: TreeStopPlan, ctx: ResolvedContext): Promise<TreeStopResult> {
  const deadline = Date.now() + plan.termToKillMs;
  const mainKey = plan.main ? identityKey(plan.main.identity) : undefined;
  const lastSignal = new Map<string, NodeJS.Signals>();
  const known = new Map<string, ProcessIdentity>();
  for (const root of plan.roots) known.set(identityKey(root), root);
  const signalled = new Map<string, ProcessInfo>();
  const killed: ProcessInfo[] = [];
  const denied = new Map<string, ProcessInfo>();
  let mainOutcome: SignalOutcome | undefined;
  let survivors: ProcessInfo[] = [];
  let signal = plan.signal;
  let passes = 0;

  while (passes < MAX_PASSES) {
    const table = passes === 0 && plan.table ? plan.table : await ctx.snapshot();
    passes += 1;
    const roots = plan.main ? [plan.main.identity, ...known.values()] : [...known.values()];
    const members = collectProgramTree(table, { roots, groups: plan.groups, withDescendants: plan.withDescendants }, ctx.uid);
    const fresh = members.filter((m) => lastSignal.get(identityKey(m)) !== signal && !denied.has(identityKey(m)));
    if (fresh.length > 0) ctx.logger.info(`stopping ${plan.name}: ${signal} to ${describeTargets(fresh)}`);
    for (const member of fresh) {
      const key = identityKey(member);
      known.set(key, member);
      const outcome =
        key === mainKey && plan.main?.re ? signalIfSame(member, plan.main.re, ctx.uid, signal) : signalMember(member, ctx.uid, signal);
      if (key === mainKey && mainOutcome !== 'sent') mainOutcome = outcome;
      if (outcome === 'sent') {
        lastSignal.set(key, signal);
        signalled.set(key, member);
        if (signal === 'SIGKILL') killed.push(member);
      } else if (outcome === 'not-permitted') {
        denied.set(key, member);
      }
    }
    const waiting = members.filter((m) => lastSignal.has(identityKey(m)));
    if (waiting.length === 0) break;
    const killing = signal === 'SIGKILL';
    if (await waitAllGone(waiting, killing ? Date.now() + KILL_WAIT_MS : deadline, ctx.pollIntervalMs)) {
      if (plan.groups.length > 0 && plan.withDescendants) continue;
      break;
    }
    if (killing) {
      survivors = waiting.filter((m) => isSameProcess(m));
      break;
    }
    ctx.logger.warn(`${plan.name}: still running ${plan.termToKillMs / 1000} s after ${plan.signal}; sending SIGKILL`);
    signal = 'SIGKILL';
  }
  survivors.push(...[...denied.values()].filter((m) => isSameProcess(m)));
  return { main: mainResult(plan, mainOutcome, lastSignal.get(mainKey ?? ''), survivors), signalled: [...signalled.values()], killed, survivors, passes };
}

function mainResult(
  plan: TreeStopPlan,
  outcome: SignalOutcome | undefined,
  last: NodeJS.Signals | undefined,
  survivors: readonly ProcessInfo[],
): TreeStopResult['main'] {
  if (!plan.main) return 'none';
  if (outcome === 'not-permitted') return 'not-permitted';
  if (outcome !== 'sent') return 'gone';
  if (survivors.some((s) => s.pid === plan.main!.identity.pid && s.startTicks === plan.main!.identity.startTicks)) return 'survived';
  return last === 'SIGKILL' ? 'killed' : 'terminated';
}

/** Polls until every process is gone or a zombie; false when one outlives `until`. */
export async function waitAllGone(processes: readonly ProcessIdentity[], until: number, pollMs: number): Promise<boolean> {
  let left = processes.filter((p) => isSameProcess(p));
  // Start fast: most programs exit within milliseconds of their stop signal.
  for (let interval = 5; left.length > 0; interval = Math.min(interval * 2, pollMs)) {
    const remaining = until - Date.now();
    if (remaining <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, remaining)));
    left = left.filter((p) => isSameProcess(p));
  }
  return true;
}

function describeTargets(targets: readonly ProcessInfo[]): string {
  if (targets.length === 1) return `[${targets[0]!.pid}]`;
  const pids = targets.slice(0, 10).map((t) => t.pid).join(', ');
  return `${targets.length} processes [${pids}${targets.length > 10 ? ', ...' : ''}]`;
}
