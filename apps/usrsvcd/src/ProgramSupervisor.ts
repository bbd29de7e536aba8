import type { AlertKind } from '@usrsvc/alerts';
import type { LastExit, MonitorVerdict, RestartCounts } from '@usrsvc/api';
import type { ProgramConfig } from '@usrsvc/config';
import { type ExitStatus, type ExitWatch, readExitStatus } from '@usrsvc/exitwatch';
import {
  type ActionResult,
  describeLeftovers,
  findRunningProgram,
  isStoppedByUser,
  type LaunchContext,
  pidfileSuccessor,
  sentSignalTo,
  type RunningProcess,
  returnCodeName,
  type StartOptions,
  startProgram,
  stopProgram,
} from '@usrsvc/launcher';
import type { ProcessIdentity, ProcessTable } from '@usrsvc/procscan';
import type { Logger } from './log.js';
import { type StartKind, type SupervisorState, whenNotRunning } from './programState.js';
import { describeExpectedExit, isExpectedExit, type RestartHistory, wasSustained } from './restartPolicy.js';

/** What a caller just learnt about a program that is not running (StartOptions the launcher can use). */
type StartKnowledge = Pick<StartOptions, 'knownNotRunning' | 'table'>;

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
  /** Called after every change of what the supervisor reports (state, last exit, verdicts). */
  changed?: () => void;
  now?: () => number;
}

const sameProcess = (a: ProcessIdentity, b: ProcessIdentity) => a.pid === b.pid && a.startTicks === b.startTicks;
const iso = (ms: number) => new Date(ms).toISOString();

/** One program's supervision: finds it, watches it, restarts it within its limits. Its state is one SupervisorState. */
export class ProgramSupervisor {
  private current: SupervisorState;
  private history: RestartHistory = { attempts: 0 };
  private exit: LastExit | null = null;
  /** Where the last failed launch began writing to stderr: the gave-up alert quotes from there. */
  private failedStartStderrOffset: number | undefined;
  private readonly verdicts = new Map<string, MonitorVerdict>();
  private readonly counts: RestartCounts = { crash: 0, monitor: 0, manual: 0 };
  private watch: ExitWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Pids of our recent launches, to tell our starts from a hand start. */
  private readonly launched = new Set<number>();
  private pending: Promise<void> | undefined;
  private readonly now: () => number;
  /** A restarted, monitor-restart or gave-up alert went out: 'recovered' is due once it runs for success_seconds. */
  private recoveryDue = false;
  private recoveryTimer: NodeJS.Timeout | undefined;

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

  /** Start attempts since the program last ran for a sustained period (what maxrestarts counts). */
  get restarts(): number {
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

  get runningProcess(): RunningProcess | undefined {
    return this.current.kind === 'running' ? this.current.process : undefined;
  }

  /** Whether a periodic pass has anything to learn about this program from a process scan. */
  needsObservation(): boolean {
    if (!isManaged(this.program)) return this.current.kind !== 'not-managed';
    switch (this.current.kind) {
      case 'starting':
      case 'stopping':
      case 'backoff':
      case 'released':
        return false;
      case 'running':
        return this.watch === undefined;
      default:
        return true;
    }
  }

  /** Takes in what one process-table snapshot (or, without one, its pidfile) says about this program. Never throws. */
  async observe(table?: ProcessTable): Promise<void> {
    if (this.isBusy()) return;
    if (!isManaged(this.program)) {
      if (this.current.kind !== 'not-managed') {
        const why = this.program.enabled ? 'no-autostart-no-autorestart' : 'disabled';
        this.deps.log.info(
          why === 'disabled' ? 'enabled=False: not managed by usrsvcd.' : 'autostart=False and autorestart=False: not managed by usrsvcd.',
        );
        this.enter({ kind: 'not-managed', why });
      }
      return;
    }
    if (this.current.kind === 'not-managed') this.enter({ kind: 'unobserved', since: this.now(), ranBefore: false });
    let found: RunningProcess | undefined;
    try {
      found = await findRunningProgram(this.program, this.deps.ctx, table);
    } catch (error) {
      this.deps.log.error(`could not check whether it runs: ${message(error)}`);
      return;
    }
    if (this.isBusy()) return;
    if (found) {
      this.seen(found);
      return;
    }
    const state = this.current;
    const known: StartKnowledge = table ? { table } : {};
    if (state.kind === 'running') this.died(state.process, `process ${state.process.pid} is no longer running`, undefined, known);
    // In backoff the timer decides, unless the user stopped the program meanwhile.
    else if (state.kind !== 'backoff' || this.stoppedByUser()) this.settle('not running', 0, known);
  }

  /** Applies a reread configuration of this program (same name). */
  update(program: ProgramConfig): void {
    this.program = program;
    const state = this.current;
    if (state.kind === 'gave-up') {
      this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
      this.deps.log.info('configuration changed: restart limit reset, restarts will be attempted again.');
      this.enter({ kind: 'unobserved', since: this.now(), ranBefore: true });
    } else if (state.kind === 'not-running' && state.why === 'autorestart=False' && program.autoRestart) {
      this.enter({ kind: 'unobserved', since: this.now(), ranBefore: true });
    }
  }

  /** Resolves when no start is in flight (its launch has written the pidfile or failed). */
  async settled(): Promise<void> {
    await this.pending;
  }

  /** Stops managing the program and leaves its process running. */
  dispose(): void {
    this.enter({ kind: 'released' });
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

  /** A monitor asked for a restart: stop then start through the launcher (locks, term_to_kill_seconds). */
  async restartForMonitor(monitor: string, reason: string): Promise<void> {
    const state = this.current;
    if (state.kind !== 'running') return;
    const found = state.process;
    this.deps.log.warn(`MONITOR: ${monitor} asks for a restart of pid ${found.pid}: ${reason}. Restarting.`, {
      event: 'monitor-restart',
      pid: found.pid,
      reason: `${monitor}: ${reason}`,
    });
    this.raise('monitor-restart', `${monitor}: ${reason}`, { pid: found.pid });
    this.counts.monitor += 1;
    this.enter({ kind: 'stopping', monitor, reason, since: this.now() });
    const restart = async () => {
      let result: ActionResult | undefined;
      try {
        const stopped = await stopProgram(this.program, this.deps.ctx);
        this.deps.log.info(`monitor restart: ${stopped.message}`);
        this.recordExit(found, undefined, { by: 'monitor', monitor, reason });
        if (this.current.kind === 'released') return;
        this.enter({ kind: 'starting', attempt: 0, since: this.now() });
        result = await this.startThroughLauncher();
      } catch (error) {
        this.deps.log.error(`monitor restart failed: ${message(error)}`);
      }
      // The monitor-restart alert above already tells of this restart.
      this.afterStart(result, 'autorestart', 0, undefined);
    };
    this.pending = restart();
    await this.pending;
  }

  /** The one place the state changes: leaving a state ends what belonged to it (exit watch, timer). */
  private enter(next: SupervisorState): void {
    const previous = this.current;
    if (previous.kind === 'released') return;
    const keepsWatch = previous.kind === 'running' && next.kind === 'running' && sameProcess(previous.process.identity, next.process.identity);
    if (!keepsWatch) this.unwatch();
    if (previous.kind === 'backoff') this.clearTimer();
    this.current = next;
    if (!keepsWatch) this.watchRecovery(next);
    if (next.kind !== 'released') this.deps.changed?.();
  }

  /** An alert that a later 'recovered' resolves (Alertmanager's endsAt). */
  private raise(kind: 'restarted' | 'monitor-restart' | 'gave-up', reason: string, details: AlertDetails): void {
    this.recoveryDue = true;
    this.deps.alert(this.program, kind, reason, details);
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

  private seen(found: RunningProcess): void {
    const previous = this.current;
    const resetHistory = () => {
      this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
    };
    if (previous.kind === 'running' && sameProcess(previous.process.identity, found.identity)) {
      if (wasSustained(found.startTime, this.now())) resetHistory();
      return;
    }
    const ours = this.launched.has(found.pid);
    if (previous.kind === 'unobserved' && !previous.ranBefore) {
      this.deps.log.info(`is running as pid ${found.pid} (found by ${found.foundBy}): now managed by usrsvcd.`, { event: 'adopted', pid: found.pid });
    } else if (!ours) {
      this.deps.log.info(`is running as pid ${found.pid}, not started by usrsvcd (found by ${found.foundBy}): now managed; restart count reset.`, {
        event: 'adopted',
        pid: found.pid,
      });
      resetHistory();
    }
    if (previous.kind === 'gave-up') {
      this.deps.log.info(`is running again as pid ${found.pid}: automatic restarts resume.`, { event: 'resumed', pid: found.pid });
      resetHistory();
    }
    if (wasSustained(found.startTime, this.now())) resetHistory();
    this.enter({ kind: 'running', process: found, since: found.startTime });
    this.watchProcess(found);
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
    const state = this.current;
    if (state.kind !== 'running' || state.process !== found) return;
    // Read at once: the zombie's exit status is gone when its parent reaps it.
    const status = readExitStatus(found.identity);
    this.watch = undefined;
    if (this.followedOrExpected(found, status)) return;
    const upFor = ((this.now() - found.startTime) / 1000).toFixed(1);
    // The kernel told us it exited: an immediate restart need not scan to learn it does not run.
    this.died(found, `pid ${found.pid} exited after ${upFor} s${describeStatus(status)}`, status, { knownNotRunning: true });
  }

  /**
   * A program that re-executed itself (nginx, gunicorn on USR2) is followed to the new PID its own
   * pidfile names; with autorestart = unexpected an expected exit ends supervision until a start.
   */
  private followedOrExpected(found: RunningProcess, status: ExitStatus | undefined): boolean {
    const successor = pidfileSuccessor(this.program, found, this.deps.ctx);
    if (successor) {
      this.deps.log.info(`pid ${found.pid} exited and its pidfile names pid ${successor.pid}: following the program there.`, { event: 'followed', pid: successor.pid });
      this.launched.add(successor.pid);
      this.enter({ kind: 'running', process: successor, since: successor.startTime });
      this.watchProcess(successor);
      return true;
    }
    const sent = sentSignalTo(this.program.name, this.deps.ctx, found.identity)?.signal;
    if (!status || !isExpectedExit(this.program, status, sent)) return false;
    const why = `exited (expected, ${describeExpectedExit(status)})` as const;
    this.deps.log.info(`pid ${found.pid} ${why}: autorestart=unexpected, not restarting.`, { event: 'exited', reason: why });
    this.recordExit(found, status, { by: 'expected' });
    this.enter({ kind: 'not-running', since: this.now(), why });
    return true;
  }

  private died(last: RunningProcess, reason: string, status: ExitStatus | undefined, known: StartKnowledge): void {
    if (wasSustained(last.startTime, this.now())) this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
    this.recordExit(last, status, this.stoppedByUser() ? { by: 'user' } : { by: 'crash' });
    this.settle(reason, 0, known);
  }

  private recordExit(last: RunningProcess, status: ExitStatus | undefined, cause: LastExit['cause']): void {
    const now = this.now();
    this.exit = {
      at: iso(now),
      pid: last.pid,
      exitCode: status?.exitCode ?? null,
      signal: status?.signal ?? null,
      upMs: Math.max(0, now - last.startTime),
      cause,
    };
  }

  private stoppedByUser(): boolean {
    try {
      return isStoppedByUser(this.program.name, this.deps.ctx);
    } catch (error) {
      this.deps.log.warn(`cannot read the user-stop mark: ${message(error)}`);
      return false;
    }
  }

  /**
   * Applies whenNotRunning's decision for a program that is not running. `known`: what the caller
   * learnt about it just now, which an immediate start may use instead of a fresh scan; a start
   * after a backoff delay learns afresh.
   */
  private settle(reason: string, waitedMs = 0, known: StartKnowledge = {}): void {
    const from = this.current;
    const now = this.now();
    const decision = whenNotRunning({ program: this.program, from, history: this.history, stoppedByUser: this.stoppedByUser(), now });
    const name = this.program.name;
    switch (decision.to) {
      case 'stay':
        return;
      case 'not-running':
        if (decision.why === 'autostart=False') this.deps.log.info('is not running and autostart=False: not starting it.');
        else this.deps.log.info(`has stopped running (${reason}), and autorestart=False: not restarting.`, { event: 'exited', reason });
        this.enter({ kind: 'not-running', since: now, why: decision.why });
        return;
      case 'stopped-by-user':
        if (from.kind === 'unobserved') {
          this.deps.log.info(`was stopped with "usrsvc stop": not starting it until "usrsvc start ${name}".`, { event: 'user-stop' });
        } else {
          this.deps.log.info(`has stopped running (${reason}); it was stopped with "usrsvc stop": not restarting until "usrsvc start ${name}".`, {
            event: 'user-stop',
            reason,
          });
        }
        this.enter({ kind: 'stopped-by-user', since: now });
        return;
      case 'gave-up':
        this.deps.log.warn(
          `has reached the maximum number of restarts ${this.program.maxRestarts}. Further restarts will not be attempted until the process is seen running again (so manually fix, and run "usrsvc start ${name}").`,
          { event: 'gave-up', attempt: decision.afterRestarts, reason },
        );
        this.raise('gave-up', `gave up after ${decision.afterRestarts} start attempts (maxrestarts=${this.program.maxRestarts}); last: ${reason}`, {
          pid: this.exit?.pid ?? undefined,
          stderrOffset: this.failedStartStderrOffset,
        });
        this.enter({ kind: 'gave-up', afterRestarts: decision.afterRestarts, since: now });
        return;
      case 'backoff': {
        const waitMs = decision.nextAttemptAt - now;
        this.deps.log.info(
          `has stopped running (${reason}). Next start attempt (${decision.attempt}) in ${(waitMs / 1000).toFixed(1)} s: attempts are at least ${(decision.delayMs / 1000).toFixed(1)} s apart (${describeDelay(this.program)}).`,
          { event: 'backoff', attempt: decision.attempt, reason },
        );
        const state: SupervisorState = { kind: 'backoff', attempt: decision.attempt, nextAttemptAt: decision.nextAttemptAt, delayMs: decision.delayMs, reason };
        this.enter(state);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          if (this.current === state) this.settle(reason, decision.delayMs);
        }, waitMs);
        return;
      }
      case 'start':
        this.launch(decision.kind, decision.attempt, reason, waitedMs, known);
    }
  }

  private launch(kind: StartKind, attempt: number, reason: string, waitedMs: number, known: StartKnowledge): void {
    const previous = { ...this.history };
    this.history = { attempts: this.history.attempts + 1, lastAttemptAt: this.now() };
    if (kind === 'autorestart') this.counts.crash += 1;
    this.enter({ kind: 'starting', attempt, since: this.now() });
    const delayNote = waitedMs > 0 ? `, after a ${(waitedMs / 1000).toFixed(1)} s delay` : '';
    this.deps.log.info(
      kind === 'autostart'
        ? `was not running and autostart=True. Trying to start [Attempt ${attempt}].`
        : `has stopped running (${reason}), and autorestart=True. Trying to start [Attempt ${attempt}${delayNote}].`,
      { event: 'starting', attempt, reason },
    );
    this.pending = this.startThroughLauncher(known)
      .catch((error: unknown) => {
        this.deps.log.error(`start attempt ${attempt} failed: ${message(error)}`);
        return undefined;
      })
      .then((result) => {
        if (result?.outcome === 'already-running' && !this.launched.has(result.process?.pid ?? -1)) this.history = previous;
        this.afterStart(result, kind, attempt, reason);
      })
      .catch((error: unknown) => this.deps.log.error(`after start: ${message(error)}`));
  }

  private startThroughLauncher(known: StartKnowledge = {}): Promise<ActionResult> {
    return startProgram(this.program, this.deps.ctx, {
      ...known,
      unlessStoppedByUser: true,
      // A crash never changes the program's environment: start from the one its last run had.
      environment: 'previous-run',
      onLaunched: (pid) => {
        this.launched.add(pid);
        // Only recent launches matter; a flapping program must not grow this.
        if (this.launched.size > 16) this.launched.delete(this.launched.values().next().value as number);
        this.deps.log.debug(`launched as pid ${pid}; verifying for success_seconds=${this.program.successSeconds}.`);
        if (this.current.kind === 'starting') this.enter({ ...this.current, pid });
      },
    });
  }

  /** `reason`: why the program had stopped, for the alert; undefined when no alert is due (a monitor restart). */
  private afterStart(result: ActionResult | undefined, kind: StartKind, attempt: number, reason: string | undefined): void {
    if (this.current.kind === 'released') return;
    if (result && result.code === 0 && result.process) {
      const pid = result.process.pid;
      if (result.outcome === 'already-running') {
        this.deps.log.info(`is already running as pid ${pid}.`, { event: 'running', pid });
      } else {
        this.deps.log.info(`started as pid ${pid}${attempt > 0 ? ` [Attempt ${attempt}]` : ''}.`, { event: 'started', pid, attempt });
        if (kind === 'autostart') this.deps.alert(this.program, 'started', 'was not running when usrsvcd started', { pid });
        else if (reason !== undefined) this.raise('restarted', reason, { pid });
      }
      this.seen(result.process);
      return;
    }
    if (result?.outcome === 'stopped-by-user') {
      this.deps.log.info(`was stopped with "usrsvc stop": not starting it until "usrsvc start ${this.program.name}".`, { event: 'user-stop' });
      this.enter({ kind: 'stopped-by-user', since: this.now() });
      return;
    }
    if (result?.outcome === 'disabled') {
      this.enter({ kind: 'not-managed', why: 'disabled' });
      return;
    }
    this.failedStartStderrOffset = result?.stderrOffset;
    if (result) {
      const tail = result.stderrTail?.length ? ` Last stderr lines: ${result.stderrTail.map((l) => JSON.stringify(l)).join(' | ')}` : '';
      this.deps.log.error(
        `start attempt ${attempt} failed with exit code ${result.code} (${returnCodeName(result.code)}, ${result.outcome}): ${result.message}.${tail}`,
        { event: 'start-failed', attempt, exitCode: result.code, reason: result.outcome },
      );
      this.exit = {
        at: iso(this.now()),
        pid: null,
        exitCode: null,
        signal: null,
        upMs: null,
        cause: { by: 'start-failed', code: result.code, outcome: result.outcome },
      };
    }
    // Named in the gave-up alert: leftovers of an earlier run usually hold the port.
    const left = result?.leftovers?.length ? `; still running from an earlier run: ${describeLeftovers(result.leftovers)}` : '';
    this.settle(`start attempt ${attempt} failed${left}`);
  }

  /** Read through a method: the state changes while we await, which flow analysis cannot see. */
  private isBusy(): boolean {
    const kind = this.current.kind;
    return kind === 'starting' || kind === 'stopping' || kind === 'released';
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

export function isManaged(program: ProgramConfig): boolean {
  return program.enabled && (program.autoStart || program.autoRestart);
}

function describeStatus(status: ExitStatus | undefined): string {
  if (!status) return '';
  return status.signal ? `, killed by ${status.signal}` : `, exit code ${status.exitCode}`;
}

function describeDelay(program: ProgramConfig): string {
  const max = program.restartDelayMax ?? 0;
  return max > program.restartDelay
    ? `restart_delay=${program.restartDelay}, doubling up to restart_delay_max=${max}`
    : `restart_delay=${program.restartDelay}`;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
