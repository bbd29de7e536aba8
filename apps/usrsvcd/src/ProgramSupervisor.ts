import type { ProgramConfig } from '@usrsvc/config';
import type { ExitWatch } from '@usrsvc/exitwatch';
import {
  type ActionResult,
  describeLeftovers,
  findRunningProgram,
  isStoppedByUser,
  type LaunchContext,
  type RunningProcess,
  returnCodeName,
  startProgram,
  stopProgram,
} from '@usrsvc/launcher';
import type { ProcessIdentity, ProcessTable } from '@usrsvc/procscan';
import type { Logger } from './log.js';
import { decideRestart, policyFromProgram, type RestartHistory, wasSustained } from './restartPolicy.js';

export type AlertKind = 'started' | 'restarted' | 'monitor-restart' | 'gave-up';

/** What a supervisor needs from the daemon; everything else it does through the launcher. */
export interface SupervisorDeps {
  ctx: LaunchContext;
  /** A logger whose lines carry this program's name. */
  log: Logger;
  watchExit(identity: ProcessIdentity, onExit: () => void): ExitWatch;
  alert(program: ProgramConfig, kind: AlertKind, reason: string): void;
  now?: () => number;
}

/**
 * - idle: not known to run; the next observation decides.
 * - running: a known process, watched for its exit.
 * - starting: a start or monitor restart is in flight (the launcher holds the program's lock).
 * - waiting: a restart is due later (restart_delay / backoff), on a timer.
 * - stopped: not running, and usrsvcd will not start it (autorestart=False, or never ran).
 * - user-stopped: `usrsvc stop` was used; left alone until the user starts it.
 * - gave-up: maxrestarts reached; left alone until it is seen running again.
 * - unmanaged: disabled, or neither autostart nor autorestart.
 */
export type Phase = 'idle' | 'running' | 'starting' | 'waiting' | 'stopped' | 'user-stopped' | 'gave-up' | 'unmanaged';

type StartKind = 'autostart' | 'autorestart';

const sameProcess = (a: ProcessIdentity | undefined, b: ProcessIdentity) =>
  a !== undefined && a.pid === b.pid && a.startTicks === b.startTicks;

/** One program's state machine: finds it, watches it, restarts it within its limits. */
export class ProgramSupervisor {
  private phase: Phase = 'idle';
  /** Before the first observation: decides autostart (not running at daemon start) vs adoption. */
  private firstObservation = true;
  /** The original's "was started or seen running": only then does autorestart apply. */
  private everRan = false;
  private history: RestartHistory = { attempts: 0 };
  private process: RunningProcess | undefined;
  private watch: ExitWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly launched = new Set<number>();
  private disposed = false;
  private inFlightStart: Promise<void> | undefined;
  /** The restart delay the next attempt waited for (for its log line). */
  private waitedForMs = 0;
  /** Set while deciding what to do about a stopped program (the decision awaits the user-stop mark). */
  private deciding = false;
  private readonly now: () => number;

  constructor(
    public program: ProgramConfig,
    private readonly deps: SupervisorDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  get name(): string {
    return this.program.name;
  }

  get state(): Phase {
    return this.phase;
  }

  get runningProcess(): RunningProcess | undefined {
    return this.phase === 'running' ? this.process : undefined;
  }

  /** Whether a periodic pass has anything to learn about this program from a process scan. */
  needsObservation(): boolean {
    if (!isManaged(this.program)) return this.phase !== 'unmanaged';
    switch (this.phase) {
      case 'starting':
      case 'waiting':
        return false;
      case 'running':
        return this.watch === undefined;
      default:
        return true;
    }
  }

  /** Takes in what one process-table snapshot says about this program. Never throws. */
  async observe(table: ProcessTable): Promise<void> {
    if (this.isBusy()) return;
    if (!isManaged(this.program)) {
      if (this.phase !== 'unmanaged') {
        this.unwatch();
        this.clearTimer();
        this.phase = 'unmanaged';
        this.deps.log.info(
          this.program.enabled ? 'autostart=False and autorestart=False: not managed by usrsvcd.' : 'enabled=False: not managed by usrsvcd.',
        );
      }
      return;
    }
    if (this.phase === 'unmanaged') {
      this.phase = 'idle';
      this.firstObservation = true;
    }
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
    if (this.phase === 'running') {
      this.died(`process ${this.process?.pid ?? '?'} is no longer running`);
      return;
    }
    if (this.firstObservation) {
      this.firstObservation = false;
      if (this.program.autostart) {
        this.scheduleStart('autostart', 'not running at daemon start');
        return;
      }
      this.phase = 'stopped';
      this.deps.log.info('is not running and autostart=False: not starting it.');
      return;
    }
    if (this.phase !== 'gave-up') await this.notRunning('not running');
  }

  /** Applies a reread configuration of this program (same name). */
  update(program: ProgramConfig): void {
    this.program = program;
    if (this.phase === 'gave-up') {
      this.phase = 'idle';
      this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
      this.deps.log.info('configuration changed: restart limit reset, restarts will be attempted again.');
    }
  }

  /** Resolves when no start is in flight (its launch has written the pidfile or failed). */
  async settled(): Promise<void> {
    await this.inFlightStart;
  }

  /** Stops managing the program and leaves its process running. */
  dispose(): void {
    this.disposed = true;
    this.unwatch();
    this.clearTimer();
  }

  /** A monitor asked for a restart: stop then start through the launcher (locks, term_to_kill_seconds). */
  async restartForMonitor(monitor: string, reason: string): Promise<void> {
    if (this.disposed || this.phase !== 'running') return;
    this.phase = 'starting';
    this.unwatch();
    const pid = this.process?.pid;
    this.deps.log.warn(`MONITOR: ${monitor} asks for a restart of pid ${pid ?? '?'}: ${reason}. Restarting.`);
    this.deps.alert(this.program, 'monitor-restart', `${monitor}: ${reason}`);
    const restart = async () => {
      let result: ActionResult | undefined;
      try {
        const stopped = await stopProgram(this.program, this.deps.ctx);
        this.deps.log.info(`monitor restart: ${stopped.message}`);
        result = await this.startThroughLauncher();
      } catch (error) {
        this.deps.log.error(`monitor restart failed: ${message(error)}`);
      }
      // The monitor-restart alert above already tells of this restart.
      this.afterStart(result, 'autorestart', 0, undefined);
    };
    this.inFlightStart = restart();
    await this.inFlightStart;
  }

  private seen(found: RunningProcess): void {
    const changed = !sameProcess(this.process?.identity, found.identity);
    const wasFirst = this.firstObservation;
    this.firstObservation = false;
    this.everRan = true;
    if (changed) {
      const ours = this.launched.has(found.pid);
      if (wasFirst) {
        this.deps.log.info(`is running as pid ${found.pid} (found by ${found.foundBy}): now managed by usrsvcd.`);
      } else if (!ours) {
        this.deps.log.info(`is running as pid ${found.pid}, not started by usrsvcd (found by ${found.foundBy}): now managed; restart count reset.`);
        this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
      }
      if (this.phase === 'gave-up') {
        this.deps.log.info(`is running again as pid ${found.pid}: automatic restarts resume.`);
        this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
      }
      this.process = found;
      this.watchProcess(found);
    }
    if (wasSustained(found.startTime, this.now())) this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
    this.phase = 'running';
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
    if (this.disposed || this.process !== found || this.phase !== 'running') return;
    this.watch = undefined;
    const upFor = ((this.now() - found.startTime) / 1000).toFixed(1);
    this.died(`pid ${found.pid} exited after ${upFor} s`);
  }

  private died(reason: string): void {
    const last = this.process;
    this.unwatch();
    this.process = undefined;
    this.phase = 'idle';
    if (last && wasSustained(last.startTime, this.now())) this.history = { attempts: 0, lastAttemptAt: this.history.lastAttemptAt };
    this.notRunning(reason).catch((error: unknown) => this.deps.log.error(`restart handling failed: ${message(error)}`));
  }

  private async notRunning(reason: string): Promise<void> {
    if (this.deciding) return;
    this.deciding = true;
    try {
      await this.decideAfterStop(reason);
    } finally {
      this.deciding = false;
    }
  }

  private async decideAfterStop(reason: string): Promise<void> {
    if (!this.program.autorestart) {
      if (this.phase !== 'stopped') this.deps.log.info(`has stopped running (${reason}), and autorestart=False: not restarting.`);
      this.phase = 'stopped';
      return;
    }
    if (!this.everRan) {
      this.phase = 'stopped';
      return;
    }
    let byUser = false;
    try {
      byUser = await isStoppedByUser(this.program.name, this.deps.ctx);
    } catch (error) {
      this.deps.log.warn(`cannot read the user-stop mark: ${message(error)}`);
    }
    if (this.disposed || this.inFlight()) return;
    if (byUser) {
      if (this.phase !== 'user-stopped') {
        this.deps.log.info(`has stopped running (${reason}); it was stopped with "usrsvc stop": not restarting until "usrsvc start ${this.program.name}".`);
      }
      this.phase = 'user-stopped';
      return;
    }
    this.scheduleStart('autorestart', reason);
  }

  private scheduleStart(kind: StartKind, reason: string): void {
    const now = this.now();
    const decision = decideRestart(policyFromProgram(this.program), this.history, now);
    if (decision.action === 'give-up') {
      if (this.phase !== 'gave-up') {
        this.deps.log.warn(
          `has reached the maximum number of restarts ${this.program.maxrestarts}. Further restarts will not be attempted until the process is seen running again (so manually fix, and run "usrsvc start ${this.program.name}").`,
        );
        this.deps.alert(this.program, 'gave-up', `gave up after ${decision.attempts} start attempts (maxrestarts=${this.program.maxrestarts}); last: ${reason}`);
      }
      this.phase = 'gave-up';
      return;
    }
    if (decision.action === 'wait') {
      const waitMs = decision.startAt - now;
      this.phase = 'waiting';
      this.deps.log.info(
        `has stopped running (${reason}). Next start attempt (${decision.attempt}) in ${(waitMs / 1000).toFixed(1)} s: attempts are at least ${(decision.delayMs / 1000).toFixed(1)} s apart (${describeDelay(this.program)}).`,
      );
      this.clearTimer();
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.disposed || this.phase !== 'waiting') return;
        this.phase = 'idle';
        this.waitedForMs = decision.delayMs;
        this.notRunning(reason).catch((error: unknown) => this.deps.log.error(`restart failed: ${message(error)}`));
      }, waitMs);
      return;
    }
    this.launch(kind, decision.attempt, reason);
  }

  private launch(kind: StartKind, attempt: number, reason: string): void {
    this.phase = 'starting';
    const previous = { ...this.history };
    this.history = { attempts: this.history.attempts + 1, lastAttemptAt: this.now() };
    const delayNote = this.waitedForMs > 0 ? `, after a ${(this.waitedForMs / 1000).toFixed(1)} s delay` : '';
    this.waitedForMs = 0;
    this.deps.log.info(
      kind === 'autostart'
        ? `was not running and autostart=True. Trying to start [Attempt ${attempt}].`
        : `has stopped running (${reason}), and autorestart=True. Trying to start [Attempt ${attempt}${delayNote}].`,
    );
    this.inFlightStart = this.startThroughLauncher()
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

  private startThroughLauncher(): Promise<ActionResult> {
    return startProgram(this.program, this.deps.ctx, {
      unlessStoppedByUser: true,
      onLaunched: (pid) => {
        this.launched.add(pid);
        // Only recent launches matter (to tell our starts from a hand start); a flapping program must not grow this.
        if (this.launched.size > 16) this.launched.delete(this.launched.values().next().value as number);
        this.deps.log.debug(`launched as pid ${pid}; verifying for success_seconds=${this.program.successSeconds}.`);
      },
    });
  }

  /** `reason`: why the program had stopped, for the alert; undefined when no alert is due (a monitor restart). */
  private afterStart(result: ActionResult | undefined, kind: StartKind, attempt: number, reason: string | undefined): void {
    if (this.disposed) return;
    this.phase = 'idle';
    this.firstObservation = false;
    if (result && result.code === 0 && result.process) {
      if (result.outcome === 'already-running') {
        this.deps.log.info(`is already running as pid ${result.process.pid}.`);
      } else {
        this.deps.log.info(`started as pid ${result.process.pid}${attempt > 0 ? ` [Attempt ${attempt}]` : ''}.`);
        if (kind === 'autostart') this.deps.alert(this.program, 'started', 'was not running when usrsvcd started');
        else if (reason !== undefined) this.deps.alert(this.program, 'restarted', reason);
      }
      this.everRan = true;
      this.seen(result.process);
      return;
    }
    if (result?.outcome === 'stopped-by-user') {
      this.phase = 'user-stopped';
      this.deps.log.info(`was stopped with "usrsvc stop": not starting it until "usrsvc start ${this.program.name}".`);
      return;
    }
    if (result?.outcome === 'disabled') {
      this.phase = 'unmanaged';
      return;
    }
    this.everRan = true;
    if (result) {
      const tail = result.stderrTail?.length ? ` Last stderr lines: ${result.stderrTail.map((l) => JSON.stringify(l)).join(' | ')}` : '';
      this.deps.log.error(
        `start attempt ${attempt} failed with exit code ${result.code} (${returnCodeName(result.code)}, ${result.outcome}): ${result.message}.${tail}`,
      );
    }
    // Named in the gave-up alert: leftovers of an earlier run usually hold the port.
    const left = result?.leftovers?.length ? `; still running from an earlier run: ${describeLeftovers(result.leftovers)}` : '';
    this.notRunning(`start attempt ${attempt} failed${left}`).catch((error: unknown) => this.deps.log.error(`restart handling failed: ${message(error)}`));
  }

  /** Read through a method: the phase changes while we await, which flow analysis cannot see. */
  private inFlight(): boolean {
    return this.phase === 'starting' || this.phase === 'waiting';
  }

  private isBusy(): boolean {
    return this.disposed || this.deciding || this.inFlight();
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
  return program.enabled && (program.autostart || program.autorestart);
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
