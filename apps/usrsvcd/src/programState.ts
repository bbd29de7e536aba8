import type { ProgramState } from '@usrsvc/api';
import type { RunningProcess } from '@usrsvc/launcher';
import { decideRestart, policyFromProgram, type RestartHistory } from './restartPolicy.js';

/**
 * One program's state in usrsvcd: exactly one of these at a time. The supervisor runs on it and
 * the API reports it (toApiState). Times are ms since the epoch.
 */
export type SupervisorState =
  /** Not looked at yet (daemon start, managed again, configuration changed): the next observation decides. */
  | { kind: 'unobserved'; since: number; ranBefore: boolean }
  | { kind: 'running'; process: RunningProcess; since: number }
  /**
   * A start through the launcher is in flight (it holds the program's lock); pid once spawned.
   * `cause`: why (an autostart, a restart after an exit, the second half of a monitor restart);
   * `reason`: why the program had stopped, for the restarted alert; `historyBefore`: the restart
   * history before this attempt was counted (restored when the attempt turns out not to be one).
   */
  | {
      kind: 'starting';
      attempt: number;
      since: number;
      pid?: number;
      cause: StartKind | 'monitor';
      reason?: string;
      historyBefore: RestartHistory;
    }
  /**
   * Due to start (autostart, or a restart after an exit) but depends_on holds it: a dependency
   * does not run (it is starting, in backoff, gave up...). `why`: "waiting for db (backoff)";
   * `reason`: why it had stopped, for the restart when it comes.
   */
  | { kind: 'held'; since: number; why: string; ranBefore: boolean; reason: string }
  /** A monitor asked for a restart: the old process is being stopped. */
  | { kind: 'stopping'; monitor: string; reason: string; since: number; process: RunningProcess }
  | { kind: 'backoff'; attempt: number; nextAttemptAt: number; delayMs: number; reason: string }
  | { kind: 'gave-up'; afterRestarts: number; since: number }
  | { kind: 'stopped-by-user'; since: number }
  /** Managed, not running, and not to be started: autostart=False before it ever ran, autorestart=False after. */
  | { kind: 'not-running'; since: number; why: 'autostart=False' | 'autorestart=False' | `exited (expected, ${string})` }
  /** Not supervised (enabled=False, or autostart=False and autorestart=False) but still observed: `process` while it runs. */
  | { kind: 'not-managed'; why: 'disabled' | 'no-autostart-no-autorestart'; process?: RunningProcess }
  /** Removed from the configuration or the daemon stops: nothing more happens. */
  | { kind: 'released' };

export type StateKind = SupervisorState['kind'];
export type StartKind = 'autostart' | 'autorestart';

/** The program settings a decision reads. */
export interface DecisionProgram {
  autoStart: boolean;
  autoRestart: boolean;
  maxRestarts: number;
  restartDelay: number;
  restartDelayMax?: number | undefined;
}

export type NotRunningDecision =
  | { to: 'stay' }
  | { to: 'not-running'; why: 'autostart=False' | 'autorestart=False' }
  | { to: 'stopped-by-user' }
  | { to: 'gave-up'; afterRestarts: number }
  | { to: 'backoff'; attempt: number; nextAttemptAt: number; delayMs: number }
  | { to: 'start'; kind: StartKind; attempt: number; delayMs: number };

export interface NotRunningInput {
  program: DecisionProgram;
  /** The state the program was in when it was found not running (or its start failed). */
  from: SupervisorState;
  history: RestartHistory;
  stoppedByUser: boolean;
  now: number;
}

/**
 * What to do about a managed program that is not running: the one place that decides between
 * starting, waiting, giving up and leaving it alone. Pure.
 */
export function whenNotRunning({ program, from, history, stoppedByUser, now }: NotRunningInput): NotRunningDecision {
  switch (from.kind) {
    case 'not-running':
    case 'gave-up':
    case 'not-managed':
    case 'released':
    case 'stopping':
      return { to: 'stay' };
    case 'stopped-by-user':
      if (stoppedByUser) return { to: 'stay' };
      break;
    case 'unobserved':
    case 'held':
      if (!from.ranBefore) {
        if (stoppedByUser) return { to: 'stopped-by-user' };
        if (!program.autoStart) return { to: 'not-running', why: 'autostart=False' };
        return restartOrWait(program, history, now, 'autostart');
      }
      break;
    default:
      break;
  }
  if (!program.autoRestart) return { to: 'not-running', why: 'autorestart=False' };
  if (stoppedByUser) return { to: 'stopped-by-user' };
  return restartOrWait(program, history, now, 'autorestart');
}

function restartOrWait(program: DecisionProgram, history: RestartHistory, now: number, kind: StartKind): NotRunningDecision {
  const decision = decideRestart(policyFromProgram(program), history, now);
  switch (decision.action) {
    case 'give-up':
      return { to: 'gave-up', afterRestarts: decision.attempts };
    case 'wait':
      return { to: 'backoff', attempt: decision.attempt, nextAttemptAt: decision.startAt, delayMs: decision.delayMs };
    default:
      return { to: 'start', kind, attempt: decision.attempt, delayMs: decision.delayMs };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The state as the API reports it. */
export function toApiState(state: SupervisorState): ProgramState {
  switch (state.kind) {
    case 'unobserved':
      return { state: 'not-running', since: iso(state.since), why: 'not checked yet' };
    case 'running':
      return { state: 'running', pid: state.process.pid, since: iso(state.since) };
    case 'starting':
      return { state: 'starting', attempt: state.attempt, since: iso(state.since), ...(state.pid !== undefined ? { pid: state.pid } : {}) };
    case 'held':
      return { state: 'not-running', since: iso(state.since), why: state.why };
    case 'stopping':
      return { state: 'stopping', reason: `${state.monitor}: ${state.reason}`, since: iso(state.since) };
    case 'backoff':
      return { state: 'backoff', attempt: state.attempt, nextAttemptAt: iso(state.nextAttemptAt), delayMs: state.delayMs };
    case 'gave-up':
      return { state: 'gave-up', afterRestarts: state.afterRestarts, since: iso(state.since) };
    case 'stopped-by-user':
      return { state: 'stopped-by-user', since: iso(state.since) };
    case 'not-running':
      return { state: 'not-running', since: iso(state.since), why: state.why };
    case 'not-managed':
      return state.process ? { state: 'not-managed', why: state.why, pid: state.process.pid } : { state: 'not-managed', why: state.why };
    case 'released':
      return { state: 'not-managed', why: 'disabled' };
  }
}
