import type { LastExit } from '@usrsvc/api';
import type { ExitStatus } from '@usrsvc/exitwatch';
import { WATCHDOG_MONITOR } from '@usrsvc/monitors';
import { type ActionResult, describeLeftovers, type RunningProcess, returnCodeName, type StartOptions } from '@usrsvc/launcher';
import type { AlertDetails, AlertKind } from './ProgramSupervisor.js';
import type { LogFields } from './log.js';
import { type StartKind, type StateKind, type SupervisorState, whenNotRunning } from './programState.js';
import { type RestartHistory, wasSustained } from './restartPolicy.js';

/** What a caller just learnt about a program that is not running (StartOptions the launcher can use). */
export type StartKnowledge = Pick<StartOptions, 'knownNotRunning' | 'table'>;

/**
 * Everything that can happen to a supervised program. Each action the supervisor begins (a start,
 * a stop, a backoff timer, an observation) ends in one of these, failures and lock timeouts included.
 */
export type SupervisorEvent =
  /** An observation (process scan or pidfile) found the program running: ours, or started by someone else. */
  | { type: 'found-running'; process: RunningProcess; ours: boolean }
  /** An observation found it not running (it exited, or someone else stopped it). */
  | { type: 'found-not-running'; known: StartKnowledge }
  /**
   * The exit watch of `process` fired. `successor`: the live process its own pidfile names now (a
   * program that re-executed itself: nginx, gunicorn on USR2). `expected`: with autorestart =
   * unexpected, how the exit was one of those exit_codes allows (e.g. "code 0").
   */
  | { type: 'exited'; process: RunningProcess; status: ExitStatus | undefined; successor?: RunningProcess; expected?: string }
  /** The start in flight spawned its process (it is being verified for success_seconds). */
  | { type: 'launched'; pid: number }
  /** The start in flight ended with the program running (launched by it, or already running). */
  | { type: 'start-succeeded'; process: RunningProcess; alreadyRunning: boolean; ours: boolean }
  /** The start in flight found the user-stop mark: the user stopped the program meanwhile. */
  | { type: 'start-refused'; why: 'stopped-by-user' }
  /** The start in flight failed (the launcher's result when it gave one, else what was thrown). */
  | { type: 'start-failed'; result?: ActionResult; error?: string }
  /** The monitor restart's stop ended with the program stopped. */
  | { type: 'stop-succeeded'; message: string }
  /** The monitor restart's stop failed. */
  | { type: 'stop-failed'; error: string }
  /** The start or stop in flight could not take the program's lock: someone else acts on the program. */
  | { type: 'lock-timed-out'; action: 'start' | 'stop'; error: string }
  /** The backoff delay is over. */
  | { type: 'backoff-elapsed' }
  /** A monitor asks for a restart of the process it checked. */
  | { type: 'monitor-restart'; monitor: string; reason: string; pid: number }
  /** The configuration of this program changed (the new one is in the facts). */
  | { type: 'config-changed' }
  /** Removed from the configuration, or the daemon stops: supervision ends, the process is left running. */
  | { type: 'release' }
  /** restart_on_change: `path` changed (and `more` other paths in the same debounce window). */
  | { type: 'changed'; path: string; more: number };

export type EventType = SupervisorEvent['type'];

/** The program settings the table reads. */
export interface TableProgram {
  name: string;
  enabled: boolean;
  autoStart: boolean;
  autoRestart: boolean;
  maxRestarts: number;
  restartDelay: number;
  restartDelayMax?: number | undefined;
  successSeconds: number;
}

/** What a transition may read besides the state and the event. */
export interface TransitionFacts {
  program: TableProgram;
  history: RestartHistory;
  now: number;
  /** When the user stopped the program (the user-stop mark's time), or undefined: read only when a transition asks. */
  userStoppedAt(): number | undefined;
  /** Where the last failed launch began writing to stderr (the gave-up alert quotes from there). */
  failedStartStderrOffset: number | undefined;
  /** Why depends_on holds a start now ("waiting for db (backoff)"), or undefined: read only when a start is due. */
  dependencyHeld(): string | undefined;
}

/** What the supervisor does after entering the new state, in order. Each action's outcome comes back as an event. */
export type Effect =
  | { do: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; text: string; fields?: LogFields }
  | { do: 'alert'; kind: AlertKind; reason: string; details: AlertDetails }
  | { do: 'set-history'; history: RestartHistory }
  | { do: 'count-restart'; reason: 'crash' | 'monitor' | 'watchdog' | 'change' }
  | { do: 'record-exit'; exit: LastExit; stderrOffset?: number | undefined }
  /** Watch this process for its exit: the `exited` event. */
  | { do: 'watch-exit'; process: RunningProcess }
  /** Start through the launcher: launched, then start-succeeded, start-refused, start-failed or lock-timed-out. */
  | { do: 'start'; known: StartKnowledge }
  /** Stop through the launcher (a monitor restart): stop-succeeded, stop-failed or lock-timed-out. */
  | { do: 'stop' }
  /** backoff-elapsed at this time. */
  | { do: 'retry-at'; at: number }
  /** Look at the program again now: found-running or found-not-running. */
  | { do: 'observe' };

/** A transition's outcome: the next state (none: stay in this one) and what to do. */
export interface Step {
  to?: SupervisorState;
  effects: Effect[];
}

type StateOf<K extends StateKind> = Extract<SupervisorState, { kind: K }>;
type EventOf<E extends EventType> = Extract<SupervisorEvent, { type: E }>;
export type Transition<K extends StateKind, E extends EventType> = (state: StateOf<K>, event: EventOf<E>, facts: TransitionFacts) => Step;

/** Every state × every event: the compiler rejects a table with a pair left out. */
export type TransitionTable = { [K in StateKind]: { [E in EventType]: Transition<K, E> } };

const iso = (ms: number) => new Date(ms).toISOString();
const log = (level: 'debug' | 'info' | 'warn' | 'error', text: string, fields?: LogFields): Effect => (fields ? { do: 'log', level, text, fields } : { do: 'log', level, text });
const sameProcess = (a: RunningProcess, b: RunningProcess) => a.pid === b.pid && a.identity.startTicks === b.identity.startTicks;

/** Nothing happens: the event does not concern this state (an action in flight will report its own outcome). */
export const stay = (): Step => ({ effects: [] });

/** The outcomes of a start or stop, in a state where none is in flight: a late one changes nothing. */
const NO_ACTION_IN_FLIGHT = {
  launched: stay,
  'start-refused': stay,
  'start-failed': stay,
  'stop-succeeded': stay,
  'stop-failed': stay,
  'lock-timed-out': stay,
} as const;

/** While a start or stop is in flight (it holds the program's lock and always reports its outcome), nothing else counts. */
const ACTION_IN_FLIGHT = {
  'found-running': stay,
  'found-not-running': stay,
  exited: stay,
  'backoff-elapsed': stay,
  'monitor-restart': stay,
  'config-changed': stay,
} as const;

export function isManaged(program: Pick<TableProgram, 'enabled' | 'autoStart' | 'autoRestart'>): boolean {
  return program.enabled && (program.autoStart || program.autoRestart);
}

const unmanagedWhy = (program: TableProgram) => (program.enabled ? 'no-autostart-no-autorestart' : 'disabled') as 'disabled' | 'no-autostart-no-autorestart';

/** Observing a program usrsvcd does not manage: report whether it runs, start and restart nothing. */
function unmanaged(facts: TransitionFacts, process: RunningProcess | undefined, previous?: SupervisorState): Step {
  const why = unmanagedWhy(facts.program);
  const effects: Effect[] = [];
  if (previous?.kind !== 'not-managed') {
    effects.push(log('info', why === 'disabled' ? 'enabled=False: not managed by usrsvcd.' : 'autostart=False and autorestart=False: not managed by usrsvcd.'));
  }
  const before = previous?.kind === 'not-managed' ? previous.process : undefined;
  if (process && !(before && sameProcess(before, process))) {
    effects.push(log('info', `is running as pid ${process.pid} (found by ${process.foundBy}); not managed: usrsvcd reports it and never restarts it.`, { event: 'found', pid: process.pid }));
    effects.push({ do: 'watch-exit', process });
  }
  return { to: process ? { kind: 'not-managed', why, process } : { kind: 'not-managed', why }, effects };
}

const resetHistory = (facts: TransitionFacts): Effect => ({ do: 'set-history', history: { attempts: 0, lastAttemptAt: facts.history.lastAttemptAt } });

/** The program runs as `found`: it is (again) the process usrsvcd watches. */
function seen(state: SupervisorState, found: RunningProcess, ours: boolean, facts: TransitionFacts): Step {
  if (!isManaged(facts.program)) return unmanaged(facts, found, state);
  if (state.kind === 'running' && sameProcess(state.process, found)) {
    return { effects: wasSustained(found.startTime, facts.now) ? [resetHistory(facts)] : [] };
  }
  const effects: Effect[] = [];
  let reset = wasSustained(found.startTime, facts.now);
  if (state.kind === 'unobserved' && !state.ranBefore) {
    effects.push(log('info', `is running as pid ${found.pid} (found by ${found.foundBy}): now managed by usrsvcd.`, { event: 'adopted', pid: found.pid }));
  } else if (!ours) {
    effects.push(
      log('info', `is running as pid ${found.pid}, not started by usrsvcd (found by ${found.foundBy}): now managed; restart count reset.`, {
        event: 'adopted',
        pid: found.pid,
      }),
    );
    reset = true;
  }
  if (state.kind === 'gave-up') {
    effects.push(log('info', `is running again as pid ${found.pid}: automatic restarts resume.`, { event: 'resumed', pid: found.pid }));
    reset = true;
  }
  if (reset) effects.push(resetHistory(facts));
  effects.push({ do: 'watch-exit', process: found });
  return { to: { kind: 'running', process: found, since: found.startTime }, effects };
}

function describeStatus(status: ExitStatus | undefined): string {
  if (!status) return '';
  return status.signal ? `, killed by ${status.signal}` : `, exit code ${status.exitCode}`;
}

function describeDelay(program: TableProgram): string {
  const max = program.restartDelayMax ?? 0;
  return max > program.restartDelay
    ? `restart_delay=${program.restartDelay}, doubling up to restart_delay_max=${max}`
    : `restart_delay=${program.restartDelay}`;
}

function exitRecord(last: RunningProcess, status: ExitStatus | undefined, cause: LastExit['cause'], now: number): LastExit {
  return {
    at: iso(now),
    pid: last.pid,
    exitCode: status?.exitCode ?? null,
    signal: status?.signal ?? null,
    upMs: Math.max(0, now - last.startTime),
    cause,
  };
}

/**
 * The program is not running (it exited, a start failed, a backoff ended, it was found stopped):
 * start it, wait, give up, or leave it alone, as whenNotRunning decides. `before`: effects that
 * come first (the exit record).
 */
function notRunning(state: SupervisorState, reason: string, facts: TransitionFacts, known: StartKnowledge, waitedMs = 0, before: Effect[] = []): Step {
  const { program, now } = facts;
  const history = before.reduce<RestartHistory>((h, e) => (e.do === 'set-history' ? e.history : h), facts.history);
  const userStoppedAt = facts.userStoppedAt();
  const decision = whenNotRunning({ program, from: state, history, stoppedByUser: userStoppedAt !== undefined, now });
  const name = program.name;
  switch (decision.to) {
    case 'stay':
      return { effects: before };
    case 'not-running':
      return {
        to: { kind: 'not-running', since: now, why: decision.why },
        effects: [
          ...before,
          decision.why === 'autostart=False'
            ? log('info', 'is not running and autostart=False: not starting it.')
            : log('info', `has stopped running (${reason}), and autorestart=False: not restarting.`, { event: 'exited', reason }),
        ],
      };
    case 'stopped-by-user':
      return {
        to: { kind: 'stopped-by-user', since: userStoppedAt ?? now },
        effects: [
          ...before,
          state.kind === 'unobserved'
            ? log('info', `was stopped with "usrsvc stop": not starting it until "usrsvc start ${name}".`, { event: 'user-stop' })
            : log('info', `has stopped running (${reason}); it was stopped with "usrsvc stop": not restarting until "usrsvc start ${name}".`, {
                event: 'user-stop',
                reason,
              }),
        ],
      };
    case 'gave-up': {
      const lastPid = before.reduce<number | undefined>((pid, e) => (e.do === 'record-exit' ? (e.exit.pid ?? pid) : pid), undefined);
      const offset = before.reduce<number | undefined>((o, e) => (e.do === 'record-exit' && e.stderrOffset !== undefined ? e.stderrOffset : o), facts.failedStartStderrOffset);
      return {
        to: { kind: 'gave-up', afterRestarts: decision.afterRestarts, since: now },
        effects: [
          ...before,
          log(
            'warn',
            `has reached the maximum number of restarts ${program.maxRestarts}. Further restarts will not be attempted until the process is seen running again (so manually fix, and run "usrsvc start ${name}").`,
            { event: 'gave-up', attempt: decision.afterRestarts, reason },
          ),
          {
            do: 'alert',
            kind: 'gave-up',
            reason: `gave up after ${decision.afterRestarts} start attempts (maxrestarts=${program.maxRestarts}); last: ${reason}`,
            details: { pid: lastPid, stderrOffset: offset },
          },
        ],
      };
    }
    case 'backoff': {
      const waitMs = decision.nextAttemptAt - now;
      return {
        to: { kind: 'backoff', attempt: decision.attempt, nextAttemptAt: decision.nextAttemptAt, delayMs: decision.delayMs, reason },
        effects: [
          ...before,
          log(
            'info',
            `has stopped running (${reason}). Next start attempt (${decision.attempt}) in ${(waitMs / 1000).toFixed(1)} s: attempts are at least ${(decision.delayMs / 1000).toFixed(1)} s apart (${describeDelay(program)}).`,
            { event: 'backoff', attempt: decision.attempt, reason },
          ),
          { do: 'retry-at', at: decision.nextAttemptAt },
        ],
      };
    }
    case 'start': {
      const held = facts.dependencyHeld();
      if (held !== undefined) return heldBack(state, held, reason, decision.kind, facts, before);
      const delayNote = waitedMs > 0 ? `, after a ${(waitedMs / 1000).toFixed(1)} s delay` : '';
      const counted: RestartHistory = { attempts: history.attempts + 1, lastAttemptAt: now };
      return {
        to: { kind: 'starting', attempt: decision.attempt, since: now, cause: decision.kind, reason, historyBefore: history },
        effects: [
          ...before,
          { do: 'set-history', history: counted },
          ...(decision.kind === 'autorestart' ? [{ do: 'count-restart', reason: 'crash' } as const] : []),
          log(
            'info',
            decision.kind === 'autostart'
              ? `was not running and autostart=True. Trying to start [Attempt ${decision.attempt}].`
              : `has stopped running (${reason}), and autorestart=True. Trying to start [Attempt ${decision.attempt}${delayNote}].`,
            { event: 'starting', attempt: decision.attempt, reason },
          ),
          { do: 'start', known },
        ],
      };
    }
  }
}

/** A start is due but depends_on holds it: wait (logged once per reason) until an observation finds the dependencies running. */
function heldBack(state: SupervisorState, why: string, reason: string, kind: StartKind, facts: TransitionFacts, before: Effect[]): Step {
  if (state.kind === 'held' && state.why === why) return { effects: before };
  return {
    to: { kind: 'held', since: state.kind === 'held' ? state.since : facts.now, why, ranBefore: kind === 'autorestart', reason },
    effects: [...before, log('info', `not starting it yet: ${why}.`, { event: 'held', reason: why })],
  };
}

/** The process usrsvcd watched is gone: record how it ended, then decide as for any program not running. */
function died(state: SupervisorState, last: RunningProcess, reason: string, status: ExitStatus | undefined, facts: TransitionFacts, known: StartKnowledge): Step {
  const before: Effect[] = [];
  if (wasSustained(last.startTime, facts.now)) before.push(resetHistory(facts));
  const cause: LastExit['cause'] = facts.userStoppedAt() !== undefined ? { by: 'user' } : { by: 'crash' };
  before.push({ do: 'record-exit', exit: exitRecord(last, status, cause, facts.now) });
  return notRunning(state, reason, facts, known, 0, before);
}

/** The program re-executed itself and its pidfile names the new process: that is the program now. */
function followed(last: RunningProcess, successor: RunningProcess): Step {
  return {
    to: { kind: 'running', process: successor, since: successor.startTime },
    effects: [
      log('info', `pid ${last.pid} exited and its pidfile names pid ${successor.pid}: following the program there.`, { event: 'followed', pid: successor.pid }),
      { do: 'watch-exit', process: successor },
    ],
  };
}

/** autorestart = unexpected and the exit was one exit_codes allows: not restarted until a start. */
function expectedExit(last: RunningProcess, status: ExitStatus | undefined, how: string, facts: TransitionFacts): Step {
  const why = `exited (expected, ${how})` as const;
  return {
    to: { kind: 'not-running', since: facts.now, why },
    effects: [
      { do: 'record-exit', exit: exitRecord(last, status, { by: 'expected' }, facts.now) },
      log('info', `pid ${last.pid} ${why}: autorestart=unexpected, not restarting.`, { event: 'exited', reason: why }),
    ],
  };
}

/** A monitor (or the sd_notify watchdog) asks for a restart of the running process: stop it, then start it. */
function monitorRestart(s: StateOf<'running'>, e: EventOf<'monitor-restart'>, f: TransitionFacts): Step {
  const watchdog = e.monitor === WATCHDOG_MONITOR;
  const reason = watchdog ? `watchdog timeout: ${e.reason}` : `${e.monitor}: ${e.reason}`;
  return {
    to: { kind: 'stopping', monitor: e.monitor, reason: e.reason, since: f.now, process: s.process },
    effects: [
      watchdog
        ? log('warn', `WATCHDOG: watchdog timeout of pid ${e.pid}: ${e.reason}. Restarting.`, { event: 'watchdog-timeout', pid: e.pid, reason })
        : log('warn', `MONITOR: ${e.monitor} asks for a restart of pid ${e.pid}: ${e.reason}. Restarting.`, { event: 'monitor-restart', pid: e.pid, reason }),
      { do: 'alert', kind: 'monitor-restart', reason, details: { pid: e.pid } },
      { do: 'count-restart', reason: watchdog ? 'watchdog' : 'monitor' },
      { do: 'stop' },
    ],
  };
}

/** The action in flight could not finish (its lock was held, or it failed): look at the program afresh. */
function backToObserving(facts: TransitionFacts, text: string): Step {
  return {
    to: { kind: 'unobserved', since: facts.now, ranBefore: true },
    effects: [log('error', `${text}; observing the program again.`), { do: 'observe' }],
  };
}

const release = (): Step => ({ to: { kind: 'released' }, effects: [] });

const describeChange = (e: EventOf<'changed'>) => `${e.path} changed${e.more > 0 ? ` (and ${e.more} more)` : ''}`;

/** restart_on_change restarts a running program only: one that is not running is left to its state's rules. */
const changeIgnored =
  (why: string) =>
  (_s: SupervisorState, e: EventOf<'changed'>): Step => ({
    effects: [log('info', `restart_on_change: ${describeChange(e)}; ${why}: not restarting.`, { event: 'change-ignored', reason: e.path })],
  });

/** A watched path changed while the program runs: stop it, then start it (as a monitor restart does). */
function changedWhileRunning(s: StateOf<'running'>, e: EventOf<'changed'>, f: TransitionFacts): Step {
  if (f.userStoppedAt() !== undefined) return changeIgnored('it was stopped with "usrsvc stop"')(s, e);
  const pid = s.process.pid;
  return {
    to: { kind: 'stopping', monitor: 'restart_on_change', reason: `${e.path} changed`, since: f.now, process: s.process },
    effects: [
      log('info', `restart_on_change: ${describeChange(e)}: restarting pid ${pid}.`, { event: 'change-restart', pid, reason: e.path }),
      { do: 'count-restart', reason: 'change' },
      { do: 'stop' },
    ],
  };
}

/** Config changed in any state: an unmanaged program is only reported from now on. */
function configChanged(state: SupervisorState, _event: SupervisorEvent, facts: TransitionFacts): Step {
  if (isManaged(facts.program)) return stay();
  const process = state.kind === 'running' ? state.process : state.kind === 'not-managed' ? state.process : undefined;
  return unmanaged(facts, process, state);
}

/** A start's outcomes while starting. */
function startSucceeded(s: StateOf<'starting'>, e: EventOf<'start-succeeded'>, f: TransitionFacts): Step {
  const pid = e.process.pid;
  const effects: Effect[] = [];
  // An attempt that found someone else's process running was no attempt of ours.
  if (e.alreadyRunning && !e.ours) effects.push({ do: 'set-history', history: s.historyBefore });
  if (e.alreadyRunning) {
    effects.push(log('info', `is already running as pid ${pid}.`, { event: 'running', pid }));
  } else {
    effects.push(log('info', `started as pid ${pid}${s.attempt > 0 ? ` [Attempt ${s.attempt}]` : ''}.`, { event: 'started', pid, attempt: s.attempt }));
    if (s.cause === 'autostart') effects.push({ do: 'alert', kind: 'started', reason: 'was not running when usrsvcd started', details: { pid } });
    // A monitor restart's alert went out when it began.
    else if (s.cause === 'autorestart' && s.reason !== undefined) effects.push({ do: 'alert', kind: 'restarted', reason: s.reason, details: { pid } });
  }
  const next = seen(s, e.process, e.ours || !e.alreadyRunning, { ...f, history: effects.reduce((h, x) => (x.do === 'set-history' ? x.history : h), f.history) });
  return { to: next.to, effects: [...effects, ...next.effects] };
}

function startFailed(s: StateOf<'starting'>, e: EventOf<'start-failed'>, f: TransitionFacts): Step {
  const { result } = e;
  if (!result) return notRunning(s, `start attempt ${s.attempt} failed`, f, {}, 0, [log('error', `start attempt ${s.attempt} failed: ${e.error ?? 'unknown error'}`)]);
  const tail = result.stderrTail?.length ? ` Last stderr lines: ${result.stderrTail.map((l) => JSON.stringify(l)).join(' | ')}` : '';
  const before: Effect[] = [
    log('error', `start attempt ${s.attempt} failed with exit code ${result.code} (${returnCodeName(result.code)}, ${result.outcome}): ${result.message}.${tail}`, {
      event: 'start-failed',
      attempt: s.attempt,
      exitCode: result.code,
      reason: result.outcome,
    }),
    {
      do: 'record-exit',
      exit: { at: iso(f.now), pid: null, exitCode: null, signal: null, upMs: null, cause: { by: 'start-failed', code: result.code, outcome: result.outcome } },
      stderrOffset: result.stderrOffset,
    },
  ];
  // Named in the gave-up alert: leftovers of an earlier run usually hold the port.
  const left = result.leftovers?.length ? `; still running from an earlier run: ${describeLeftovers(result.leftovers)}` : '';
  return notRunning(s, `start attempt ${s.attempt} failed${left}`, f, {}, 0, before);
}

/**
 * The supervisor's transitions: for each state, what each event does. The only place a program's
 * state changes (ProgramSupervisor applies the steps). Read a row as "in this state, when...".
 */
export const TRANSITIONS: TransitionTable = {
  // Looked at for the first time (or afresh after a failed action): adopt, autostart, or leave alone.
  unobserved: {
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    'found-not-running': (s, e, f) => (isManaged(f.program) ? notRunning(s, 'not running', f, e.known) : unmanaged(f, undefined, s)),
    exited: stay,
    // No action is in flight in this state: a late outcome only tells what an observation will.
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': stay,
    'monitor-restart': stay,
    'config-changed': configChanged,
    release,
    changed: changeIgnored('it is not checked yet'),
  },
  running: {
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    'found-not-running': (s, e, f) => died(s, s.process, `process ${s.process.pid} is no longer running`, undefined, f, e.known),
    exited: (s, e, f) => {
      if (!sameProcess(s.process, e.process)) return stay();
      if (e.successor) return followed(e.process, e.successor);
      if (e.expected !== undefined) return expectedExit(e.process, e.status, e.expected, f);
      const upFor = ((f.now - e.process.startTime) / 1000).toFixed(1);
      // The kernel told us it exited: an immediate restart need not scan to learn it does not run.
      return died(s, e.process, `pid ${e.process.pid} exited after ${upFor} s${describeStatus(e.status)}`, e.status, f, { knownNotRunning: true });
    },
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': stay,
    'monitor-restart': (s, e, f) => (s.process.pid === e.pid ? monitorRestart(s, e, f) : stay()),
    'config-changed': configChanged,
    release,
    changed: changedWhileRunning,
  },
  starting: {
    ...ACTION_IN_FLIGHT,
    launched: (s, e) => ({ to: { ...s, pid: e.pid }, effects: [log('debug', `launched as pid ${e.pid}; verifying for success_seconds.`)] }),
    'start-succeeded': startSucceeded,
    'start-refused': (_s, _e, f) => ({
      to: { kind: 'stopped-by-user', since: f.userStoppedAt() ?? f.now },
      effects: [log('info', `was stopped with "usrsvc stop": not starting it until "usrsvc start ${f.program.name}".`, { event: 'user-stop' })],
    }),
    'start-failed': startFailed,
    'stop-succeeded': stay,
    'stop-failed': stay,
    // Someone else holds the lock (a usrsvc start, stop or restart): this attempt did not happen.
    'lock-timed-out': (s, e, f) => {
      const step = backToObserving(f, `start attempt ${s.attempt}: ${e.error}`);
      return { to: step.to, effects: [{ do: 'set-history', history: s.historyBefore }, ...step.effects] };
    },
    release,
    changed: stay,
  },
  stopping: {
    ...ACTION_IN_FLIGHT,
    launched: stay,
    'start-succeeded': stay,
    'start-refused': stay,
    'start-failed': stay,
    'stop-succeeded': (s, e, f) => ({
      to: { kind: 'starting', attempt: 0, since: f.now, cause: 'monitor', reason: `${s.monitor}: ${s.reason}`, historyBefore: f.history },
      effects: [
        { do: 'record-exit', exit: exitRecord(s.process, undefined, { by: 'monitor', monitor: s.monitor, reason: s.reason }, f.now) },
        log('info', `monitor restart: ${e.message}`),
        { do: 'start', known: {} },
      ],
    }),
    'stop-failed': (_s, e, f) => backToObserving(f, `monitor restart failed: ${e.error}`),
    'lock-timed-out': (_s, e, f) => backToObserving(f, `monitor restart failed: ${e.error}`),
    release,
    changed: stay,
  },
  backoff: {
    // Started by hand while we waited: adopt it.
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    // In backoff the timer decides, unless the user stopped the program meanwhile.
    'found-not-running': (s, _e, f) => (f.userStoppedAt() !== undefined ? notRunning(s, s.reason, f, {}) : stay()),
    exited: stay,
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': (s, _e, f) => notRunning(s, s.reason, f, {}, s.delayMs),
    'monitor-restart': stay,
    'config-changed': configChanged,
    release,
    changed: changeIgnored('it is waiting for its next start attempt, which will see the change'),
  },
  'gave-up': {
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    'found-not-running': stay,
    exited: stay,
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': stay,
    'monitor-restart': stay,
    'config-changed': (s, _e, f) => {
      if (!isManaged(f.program)) return configChanged(s, _e, f);
      return {
        to: { kind: 'unobserved', since: f.now, ranBefore: true },
        effects: [
          { do: 'set-history', history: { attempts: 0, lastAttemptAt: f.history.lastAttemptAt } },
          log('info', 'configuration changed: restart limit reset, restarts will be attempted again.'),
        ],
      };
    },
    release,
    changed: changeIgnored('usrsvcd gave up on it (run "usrsvc start")'),
  },
  'stopped-by-user': {
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    // Once the mark is gone (usrsvc start), a restart is due.
    'found-not-running': (s, e, f) => notRunning(s, 'not running', f, e.known),
    exited: stay,
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': stay,
    'monitor-restart': stay,
    'config-changed': configChanged,
    release,
    changed: changeIgnored('it was stopped with "usrsvc stop"'),
  },
  'not-running': {
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    'found-not-running': stay,
    exited: stay,
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': stay,
    'monitor-restart': stay,
    'config-changed': (s, _e, f) => {
      if (!isManaged(f.program)) return configChanged(s, _e, f);
      if (s.why === 'autorestart=False' && f.program.autoRestart) return { to: { kind: 'unobserved', since: f.now, ranBefore: true }, effects: [] };
      return stay();
    },
    release,
    changed: changeIgnored('it is not running'),
  },
  'not-managed': {
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    'found-not-running': (s, _e, f) => {
      if (isManaged(f.program)) return { to: { kind: 'unobserved', since: f.now, ranBefore: false }, effects: [{ do: 'observe' }] };
      return s.process ? unmanaged(f, undefined, s) : stay();
    },
    exited: (s, e, f) => {
      if (!s.process || !sameProcess(s.process, e.process)) return stay();
      const step = unmanaged(f, undefined, s);
      const cause: LastExit['cause'] = f.userStoppedAt() !== undefined ? { by: 'user' } : { by: 'crash' };
      return { to: step.to, effects: [{ do: 'record-exit', exit: exitRecord(e.process, e.status, cause, f.now) }, ...step.effects] };
    },
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': stay,
    'monitor-restart': stay,
    'config-changed': (s, _e, f) =>
      isManaged(f.program) ? { to: { kind: 'unobserved', since: f.now, ranBefore: false }, effects: [] } : unmanaged(f, s.process, s),
    release,
    changed: changeIgnored('it is not managed by usrsvcd'),
  },
  // Due to start, but depends_on holds it: each observation looks again (a dependency's change brings one at once).
  held: {
    'found-running': (s, e, f) => seen(s, e.process, e.ours, f),
    'found-not-running': (s, e, f) => notRunning(s, s.reason, f, e.known),
    exited: stay,
    'start-succeeded': (s, e, f) => seen(s, e.process, e.ours, f),
    ...NO_ACTION_IN_FLIGHT,
    'backoff-elapsed': stay,
    'monitor-restart': stay,
    'config-changed': (s, e, f) => (isManaged(f.program) ? notRunning(s, s.reason, f, {}) : configChanged(s, e, f)),
    release,
    changed: changeIgnored('it waits for its depends_on, and its start will see the change'),
  },
  // The end of a supervisor's life (it is discarded): nothing more happens.
  released: {
    ...ACTION_IN_FLIGHT,
    ...NO_ACTION_IN_FLIGHT,
    'start-succeeded': stay,
    release: stay,
    changed: stay,
  },
};

/** Looks up and runs the transition of (state, event). */
export function step(state: SupervisorState, event: SupervisorEvent, facts: TransitionFacts): Step {
  const row = TRANSITIONS[state.kind] as Record<EventType, (s: SupervisorState, e: SupervisorEvent, f: TransitionFacts) => Step>;
  return row[event.type](state, event, facts);
}

/** States in which an observation changes nothing (an action in flight will report): a pass need not look. */
export function ignoresObservations(kind: StateKind): boolean {
  return TRANSITIONS[kind]['found-running'] === stay && TRANSITIONS[kind]['found-not-running'] === stay;
}

export const STATE_KINDS: readonly StateKind[] = Object.keys(TRANSITIONS) as StateKind[];
export const EVENT_TYPES: readonly EventType[] = Object.keys(TRANSITIONS.running) as EventType[];

export type { StartKind };
