import { type AlertKind, ROUTINE_ALERT_KINDS } from '@usrsvc/alerts/kinds';
import type { LastExit, MonitorVerdict, RestartCounts } from '@usrsvc/api';
import type { ProgramConfig } from '@usrsvc/config';
import { type ExitWatch, readExitStatus } from '@usrsvc/exitwatch';
import {
  type ActionResult,
  findRunningProgram,
  type LaunchContext,
  LockTimeoutError,
  awaitPidfileSuccessor,
  pidfileAfterExit,
  sentSignalTo,
  type RunningProcess,
  startProgram,
  stopProgram,
  userStoppedAt,
} from '@usrsvc/launcher';
import { isSameProcess, type ProcessIdentity, type ProcessTable } from '@usrsvc/procscan';
import type { Logger } from './log.js';
import type { SupervisorState } from './programState.js';
import { describeExpectedExit, isExpectedExit, type RestartHistory } from './restartPolicy.js';
import { type Effect, ignoresObservations, type StartKnowledge, type SupervisorEvent, step, type TransitionFacts } from './transitions.js';

/** @usrsvc/alerts' kinds: the one list. */
export type { AlertKind };

/** What an alert may say beyond its reason. */
export interface AlertDetails {
  pid?: number | undefined;
  stderrOffset?: number | undefined;
}

/** What a supervisor needs from the daemon; everything else it does through the launcher. */
export interface SupervisorDeps {
  ctx: LaunchContext;
  /** A logger whose lines carry this program's name. */
  log: Logger;
  watchExit(identity: ProcessIdentity, onExit: () => void): ExitWatch;
  /**
   * `pid`: the process the event is about (the new one; the old one for monitor-restart, the last
   * one for gave-up). `stderrOffset`: quote the program's stderr from there (what the failed launch wrote).
   */
  alert(program: ProgramConfig, kind: AlertKind, reason: string, details?: AlertDetails): void;
  /** Why depends_on holds a start of the program now ("waiting for db (backoff)"), or undefined. */
  dependencyHeld?: () => string | undefined;
  /** Called after every change of what the supervisor reports (state, last exit, verdicts). */
  changed?: () => void;
  now?: () => number;
}

/** Effects that update what the supervisor remembers: applied before the new state is entered and reported. */
const MEMORY = new Set<Effect['do']>(['set-history', 'count-restart', 'record-exit']);

const sameProcess = (a: ProcessIdentity, b: ProcessIdentity) => a.pid === b.pid && a.startTicks === b.startTicks;
const processOf = (state: SupervisorState): RunningProcess | undefined =>
  state.kind === 'running' ? state.process : state.kind === 'not-managed' ? state.process : undefined;

/**
 * One program's supervision: finds it, watches it, restarts it within its limits. Its state is one
 * SupervisorState, changed only by the transition table (transitions.ts): every event goes
 * through dispatch(), which enters the state the table names and performs its effects.
 */
export class ProgramSupervisor {
  private current: SupervisorState;
  private history: RestartHistory = { attempts: 0 };
  private exit: LastExit | null = null;
  /** Where the last failed launch began writing to stderr: the gave-up alert quotes from there. */
  private failedStartStderrOffset: number | undefined;
  private readonly verdicts = new Map<string, MonitorVerdict>();
  private readonly counts: RestartCounts = { crash: 0, monitor: 0, watchdog: 0, manual: 0, change: 0 };
  private watch: ExitWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Pids of our recent launches, to tell our starts from a hand start. */
  private readonly launched = new Set<number>();
  private pending: Promise<void> | undefined;
  private readonly now: () => number;
  /** A restarted, monitor-restart or gave-up alert went out: 'recovered' is due once it runs for success_seconds. */
  private recoveryDue = false;
  private recoveryTimer: NodeJS.Timeout | undefined;
  /** The watched process exited and a successor of its launch may yet write its pidfile: no scan may take that for a crash meanwhile. */
  private awaitingSuccessor = false;

  constructor(
    public program: ProgramConfig,
    private readonly deps: SupervisorDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.current = { kind: 'unobserved', since: this.now(), ranBefore: false };
  }

  get name(): string {
    return this.program.name;
  }

  get state(): SupervisorState {
    return this.current;
  }

  /** Restarts usrsvcd performed or was asked for since it started (crash, monitor, manual): what RESTARTS shows. */
  get restarts(): number {
    return Object.values(this.counts).reduce((sum, count) => sum + count, 0);
  }

  /** Start attempts since the program last ran for a sustained period (what maxrestarts counts). */
  get startAttempts(): number {
    return this.history.attempts;
  }

  get restartCounts(): RestartCounts {
    return { ...this.counts };
  }

  get lastExit(): LastExit | null {
    return this.exit;
  }

  get monitorVerdicts(): MonitorVerdict[] {
    return [...this.verdicts.values()];
  }

  /** Between the decision to start and the spawn: the moments whose latency the API must not add to. */
  get launching(): boolean {
    return this.current.kind === 'starting' && this.current.pid === undefined;
  }

  /** The supervised running process (what monitors check and stop_as_group records). */
  get runningProcess(): RunningProcess | undefined {
    return this.current.kind === 'running' ? this.current.process : undefined;
  }

  /** The program's running process, supervised or not (what every status reports). */
  get process(): RunningProcess | undefined {
    return processOf(this.current);
  }

  /** Whether a periodic pass has anything to learn about this program from a process scan. */
  needsObservation(): boolean {
    const kind = this.current.kind;
    // In backoff the timer decides; a user stop meanwhile comes by inotify.
    if (ignoresObservations(kind) || kind === 'backoff' || this.awaitingSuccessor) return false;
    if (processOf(this.current)) return this.watch === undefined;
    return true;
  }

  /** Takes in what one process-table snapshot (or, without one, its pidfile) says about this program. Never throws. */
  async observe(table?: ProcessTable): Promise<void> {
    const before = this.current;
    if (ignoresObservations(before.kind) || this.awaitingSuccessor) return;
    let found: RunningProcess | undefined;
    try {
      found = await findRunningProgram(this.program, this.deps.ctx, table);
    } catch (error) {
      this.deps.log.error(`could not check whether it runs: ${message(error)}`);
      return;
    }
    // The state changed while we looked (an exit, a start): what we saw may be older than what we know.
    if (this.current !== before || this.awaitingSuccessor) return;
    const watched = processOf(before);
    // Found as itself, it lives: only otherwise is /proc asked again.
    if (watched && !(found && sameProcess(found.identity, watched.identity)) && !isSameProcess(watched.identity)) {
      // Seen gone before its exit watch fired (a change of its pidfile woke the scan): this is
      // its exit, taken as the watch takes it, so a successor the pidfile names or will name is followed.
      this.unwatch();
      this.exited(watched);
      return;
    }
    const known: StartKnowledge = table ? { table } : {};
    this.dispatch(found ? { type: 'found-running', process: found, ours: this.launched.has(found.pid) } : { type: 'found-not-running', known });
  }

  /** Applies a reread configuration of this program (same name). */
  update(program: ProgramConfig): void {
    this.program = program;
    this.dispatch({ type: 'config-changed' });
  }

  /** Resolves when no start or stop is in flight (a launch has written the pidfile or failed). */
  async settled(): Promise<void> {
    let awaited: Promise<void> | undefined;
    while (this.pending !== awaited) {
      awaited = this.pending;
      await awaited;
    }
  }

  /** Stops managing the program and leaves its process running. */
  dispose(): void {
    this.dispatch({ type: 'release' });
  }

  /** A restart asked through the API: counted as manual. */
  countManualRestart(): void {
    this.counts.manual += 1;
    this.deps.changed?.();
  }

  /** The outcome of one monitor check, for the API. */
  recordVerdict(verdict: MonitorVerdict): void {
    this.verdicts.set(verdict.monitor, verdict);
    this.deps.changed?.();
  }

  /** A monitor asked for a restart: stop then start through the launcher (locks, term_to_kill_seconds). Resolves when it is over. */
  async restartForMonitor(monitor: string, reason: string): Promise<void> {
    const running = this.runningProcess;
    if (!running) return;
    this.dispatch({ type: 'monitor-restart', monitor, reason, pid: running.pid });
    await this.settled();
  }

  /**
   * restart_on_change: `path` (and `more` others) changed. A start or stop in flight ends first, so
   * a change seen while the program was being (re)started is not lost; the table decides the rest.
   */
  async restartForChange(path: string, more: number): Promise<void> {
    await this.settled();
    this.dispatch({ type: 'changed', path, more });
    await this.settled();
  }

  /** The one way in: the table decides the next state and what to do. */
  private dispatch(event: SupervisorEvent): void {
    let stoppedAt: { at: number | undefined } | undefined;
    const facts: TransitionFacts = {
      program: this.program,
      history: this.history,
      now: this.now(),
      failedStartStderrOffset: this.failedStartStderrOffset,
      dependencyHeld: () => this.deps.dependencyHeld?.(),
      userStoppedAt: () => {
        stoppedAt ??= { at: this.readUserStop() };
        return stoppedAt.at;
      },
    };
    const { to, effects } = step(this.current, event, facts);
    for (const effect of effects) if (MEMORY.has(effect.do)) this.remember(effect);
    // A failure alert (not a routine notice) is resolved by a later 'recovered' (Alertmanager's endsAt).
    for (const effect of effects) if (effect.do === 'alert' && !ROUTINE_ALERT_KINDS.has(effect.kind)) this.recoveryDue = true;
    const changedMemory = effects.some((effect) => MEMORY.has(effect.do));
    if (to) this.enter(to);
    else if (changedMemory) this.deps.changed?.();
    for (const effect of effects) if (!MEMORY.has(effect.do)) this.perform(effect);
  }

  private remember(effect: Effect): void {
    switch (effect.do) {
      case 'set-history':
        this.history = effect.history;
        return;
      case 'count-restart':
        this.counts[effect.reason] += 1;
        return;
      case 'record-exit':
        this.exit = effect.exit;
        if (effect.exit.cause.by === 'start-failed') this.failedStartStderrOffset = effect.stderrOffset;
        return;
      default:
        return;
    }
  }

  private perform(effect: Effect): void {
    switch (effect.do) {
      case 'log':
        this.deps.log[effect.level](effect.text, effect.fields);
        return;
      case 'alert':
        this.deps.alert(this.program, effect.kind, effect.reason, effect.details);
        return;
      case 'watch-exit':
        this.watchProcess(effect.process);
        return;
      case 'start':
        this.pending = this.start(effect.known);
        return;
      case 'stop':
        this.pending = this.stop();
        return;
      case 'retry-at': {
        this.clearTimer();
        const state = this.current;
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            if (this.current === state) this.dispatch({ type: 'backoff-elapsed' });
          },
          Math.max(0, effect.at - this.now()),
        );
        return;
      }
      case 'observe':
        void this.observe();
        return;
      default:
        return;
    }
  }

  /** A start through the launcher; its outcome comes back as an event. */
  private async start(known: StartKnowledge): Promise<void> {
    let event: SupervisorEvent;
    try {
      const result = await startProgram(this.program, this.deps.ctx, {
        ...known,
        unlessStoppedByUser: true,
        // A crash never changes the program's environment: start from the one its last run had.
        environment: 'previous-run',
        onLaunched: (pid) => {
          this.launched.add(pid);
          // Only recent launches matter; a flapping program must not grow this.
          if (this.launched.size > 16) this.launched.delete(this.launched.values().next().value as number);
          this.dispatch({ type: 'launched', pid });
        },
      });
      event = startEvent(result, (pid) => this.launched.has(pid));
    } catch (error) {
      event = error instanceof LockTimeoutError ? { type: 'lock-timed-out', action: 'start', error: message(error) } : { type: 'start-failed', error: message(error) };
    }
    this.dispatchSafely(event);
  }

  /** The stop half of a monitor restart; its outcome comes back as an event. */
  private async stop(): Promise<void> {
    let event: SupervisorEvent;
    try {
      const stopped = await stopProgram(this.program, this.deps.ctx);
      event = stopped.code === 0 ? { type: 'stop-succeeded', message: stopped.message } : { type: 'stop-failed', error: stopped.message };
    } catch (error) {
      event = error instanceof LockTimeoutError ? { type: 'lock-timed-out', action: 'stop', error: message(error) } : { type: 'stop-failed', error: message(error) };
    }
    this.dispatchSafely(event);
  }

  private dispatchSafely(event: SupervisorEvent): void {
    try {
      this.dispatch(event);
    } catch (error) {
      this.deps.log.error(`after ${event.type}: ${message(error)}`);
    }
  }

  private readUserStop(): number | undefined {
    try {
      return userStoppedAt(this.program.name, this.deps.ctx);
    } catch (error) {
      this.deps.log.warn(`cannot read the user-stop mark: ${message(error)}`);
      return undefined;
    }
  }

  /** Entering a state ends what belonged to the one left (exit watch, timer); only dispatch() calls it. */
  private enter(next: SupervisorState): void {
    const previous = this.current;
    if (previous.kind === 'released') return;
    const before = processOf(previous);
    const after = processOf(next);
    const keepsWatch = before !== undefined && after !== undefined && sameProcess(before.identity, after.identity);
    if (!keepsWatch) this.unwatch();
    if (previous.kind === 'backoff') this.clearTimer();
    this.current = next;
    if (!keepsWatch) this.watchRecovery(next);
    if (next.kind !== 'released') this.deps.changed?.();
  }

  /** While a recovery is due, a process that keeps running for success_seconds is one. */
  private watchRecovery(next: SupervisorState): void {
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
    if (!this.recoveryDue || next.kind !== 'running') return;
    const running = next;
    const seconds = this.program.successSeconds;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      if (this.current !== running && !(this.current.kind === 'running' && sameProcess(this.current.process.identity, running.process.identity))) return;
      this.recoveryDue = false;
      const reason = `running again for ${seconds} s (success_seconds) as pid ${running.process.pid}`;
      this.deps.log.info(`recovered: ${reason}.`, { event: 'recovered', pid: running.process.pid });
      this.deps.alert(this.program, 'recovered', reason, { pid: running.process.pid });
    }, seconds * 1000);
    this.recoveryTimer.unref();
  }

  private watchProcess(found: RunningProcess): void {
    this.unwatch();
    try {
      this.watch = this.deps.watchExit(found.identity, () => this.exited(found));
    } catch (error) {
      this.deps.log.warn(`cannot watch pid ${found.pid} for its exit (${message(error)}); relying on periodic scans.`);
    }
  }

  private exited(found: RunningProcess): void {
    const watched = processOf(this.current);
    if (!watched || watched !== found || this.awaitingSuccessor) return;
    // Read at once: the zombie's exit status is gone when its parent reaps it.
    const status = readExitStatus(found.identity);
    this.watch = undefined;
    const pidfile = pidfileAfterExit(this.program, found, this.deps.ctx);
    if (pidfile.kind !== 'removed') {
      this.exitedWith(found, status, pidfile.kind === 'successor' ? pidfile.successor : undefined);
      return;
    }
    this.awaitingSuccessor = true;
    awaitPidfileSuccessor(this.program, found, this.deps.ctx)
      .catch((error: unknown) => ({ successor: undefined, why: `could not look for a successor: ${message(error)}` }))
      .then((search) => {
        this.awaitingSuccessor = false;
        if (!search.successor) this.deps.log.info(`pid ${found.pid} removed its pidfile as it exited: ${search.why}`);
        // A stop, a release or a reread meanwhile decided what the program is now.
        if (processOf(this.current) === found) this.exitedWith(found, status, search.successor);
      });
  }

  private exitedWith(found: RunningProcess, status: ReturnType<typeof readExitStatus>, successor: RunningProcess | undefined): void {
    if (successor) this.launched.add(successor.pid);
    const sent = successor ? undefined : sentSignalTo(this.program.name, this.deps.ctx, found.identity)?.signal;
    const expected = !successor && status && isExpectedExit(this.program, status, sent) ? describeExpectedExit(status) : undefined;
    this.dispatch({ type: 'exited', process: found, status, ...(successor ? { successor } : {}), ...(expected !== undefined ? { expected } : {}) });
  }

  private unwatch(): void {
    this.watch?.close();
    this.watch = undefined;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** A start's result as the event the table takes. */
export function startEvent(result: ActionResult, ours: (pid: number) => boolean): SupervisorEvent {
  if (result.code === 0 && result.process) {
    const alreadyRunning = result.outcome === 'already-running';
    return { type: 'start-succeeded', process: result.process, alreadyRunning, ours: ours(result.process.pid) };
  }
  if (result.outcome === 'stopped-by-user') return { type: 'start-refused', why: 'stopped-by-user' };
  return { type: 'start-failed', result };
}

export { isManaged } from './transitions.js';

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
