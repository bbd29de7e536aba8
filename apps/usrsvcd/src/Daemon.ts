import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type ActionResponse,
  type ActionResultView,
  actionResultView,
  apiSocketPath,
  type ConfigProblem,
  type DaemonEvent,
  type DaemonView,
  type ProgramAction,
  type ProgramView,
  type RereadOutcome,
} from '@usrsvc/api';
import type { AlertEvent } from '@usrsvc/alerts';
import { formatConfigWarning, type MainConfig, type ProgramConfig } from '@usrsvc/config';
import { type ExitWatchModeInfo, exitWatchMode, nativeOrphanSpawnAsync, nativeTryLockFile, watchExit } from '@usrsvc/exitwatch';
import {
  type ActionResult,
  defaultStateDir,
  ensureStateDir,
  type LaunchContext,
  lockTimeoutFromEnv,
  processTableOf,
  ReturnCodes,
  stopProgram,
  actionExitCode,
  actionTargets,
  rememberProgramTree,
  returnCodeName,
  runProgramAction,
  signalIfSame,
  signalMember,
  stateFileName,
} from '@usrsvc/launcher';
import { createMonitors, createWatchdogMonitor } from '@usrsvc/monitors';
import { NotifyKeeper } from './notifyKeeper.js';
import { coalescingSnapshot } from '@usrsvc/procscan';
import { describeDiff, diffPrograms, isScaledDownInstance } from './configDiff.js';
import { ApiServer } from './api/apiServer.js';
import { EventLog } from './api/eventLog.js';
import { EventStreams } from './api/eventStream.js';
import { programView, type ReadinessFacts } from './api/programView.js';
import { dependencyGate } from './dependencyGate.js';
import { addLogsRoute } from './api/logsRoute.js';
import { RouteTable } from './api/routeTable.js';
import { addV1Routes, currentProgramViews, type DaemonApi } from './api/v1Routes.js';
import { addMetricsRoute } from './api/metricsRoute.js';
import { addStatusAnswerRoute } from './api/statusAnswerRoute.js';
import { addSupervisorRoutes } from './api/supervisorRoutes.js';
import { DaemonSupervisorBackend } from './supervisorBackend.js';
import { DaemonMetrics } from './daemonMetrics.js';
import { claimDaemonPidfile, type DaemonState, daemonStateFile, readDaemonState, removeDaemonPidfile, writeDaemonState } from './daemonPidfile.js';
import { PathWatcher } from './pathWatcher.js';
import { RestartOnChange } from './restartOnChange.js';
import { daemonVersion } from './version.js';
import { LazyAlerter } from './lazyAlerter.js';
import { ConfigLoadError, type LoadedConfig, loadConfig } from './loadConfig.js';
import type { DaemonLog } from './log.js';
import { LogRotator, logRotatorTuning } from './LogRotator.js';
import { type MonitoredProgram, runMonitorPass } from './monitorPass.js';
import { type AlertDetails, type AlertKind, message, ProgramSupervisor } from './ProgramSupervisor.js';

export interface DaemonOptions {
  env: NodeJS.ProcessEnv;
  log: DaemonLog;
  /** Safety re-scan for programs not known to run (started behind our back, user-stopped...). */
  scanIntervalMs: number;
  /** Exit-watch polling interval, when pidfd is not available. */
  pollIntervalMs: number;
}

const SELF = 'usrsvcd';

/** The longest an API request waits for a launch in flight to spawn its process. */
const SUPERVISION_FIRST_MS = 250;

/** Back-to-back process-table scans (200 starts polling) are spaced by this much, and by twice the last scan's duration. */
const SNAPSHOT_GAP_MS = 50;

/** Knobs read from the environment (for benchmarks and tests; defaults suit production). */
export function daemonTuning(env: NodeJS.ProcessEnv): Pick<DaemonOptions, 'scanIntervalMs' | 'pollIntervalMs'> {
  const number = (value: string | undefined, fallback: number) => {
    const parsed = Number(value);
    return value !== undefined && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
  };
  return {
    scanIntervalMs: number(env.USRSVCD_SCAN_INTERVAL_MS, 10_000),
    pollIntervalMs: number(env.USRSVCD_POLL_INTERVAL_MS, 250),
  };
}

/** The running daemon: composes config, launcher, exit watches, monitors, alerts and the local API. */
export class Daemon implements DaemonApi {
  private current: LoadedConfig;
  private pending: LoadedConfig | undefined;
  private readonly entries = new Map<string, MonitoredProgram>();
  private readonly alerter: LazyAlerter;
  private readonly metrics: DaemonMetrics;
  private readonly ctx: LaunchContext & { stateDir: string; uid: number };
  private readonly stateDir: string;
  private readonly pidfile: string;
  private passing = false;
  private passQueued: 'none' | 'files' | 'partial' | 'full' = 'none';
  private rereading = false;
  private rereadAgain = false;
  /** The next safety pass: armed only while a periodic pass has something to look at (scanNeeded). */
  private scanTimer: NodeJS.Timeout | undefined;
  /** usrsvcd runs until told to stop, with or without an API, programs or a pending timer. */
  private keepAlive: NodeJS.Timeout | undefined;
  private monitorTimer: NodeJS.Timeout | undefined;
  /** The sd_notify sockets of the notify programs usrsvcd supervises. */
  private readonly notify: NotifyKeeper;
  /** depends_on turned around: for each program, the programs that depend on it. */
  private dependents = new Map<string, Set<string>>();
  /**
   * Programs that changed since a safety pass last had nothing to learn about them (running and
   * watched, in backoff, held...): the only ones a periodic pass looks at, with stop_as_group
   * ones. An idle daemon of 1000 programs then wakes every scan interval for next to nothing.
   */
  private readonly unsettled = new Set<string>();
  private readonly groupStoppers = new Set<string>();
  /** Programs with ready_check = notify: each pass retakes the sockets a finished usrsvc start left. */
  private readonly notifyPrograms = new Set<string>();
  /** Starts in flight that wait for their ready_check: what it said last, since when. */
  private readonly readyWaits = new Map<string, { check: string; last: string; sinceMs: number }>();
  private readonly monitorsInFlight = new Set<string>();
  private readonly aborter = new AbortController();
  private stopping = false;
  /** Set once the pidfile is ours: signals before that are remembered (stopBeforeStart, rereadOnStart), not acted on. */
  private started = false;
  private stopBeforeStart: string | undefined;
  private rereadOnStart = false;
  private resolveStopped: (code: number) => void = () => {};
  private readonly log;
  /** Programs whose files changed (inotify): observed on the next pass. */
  private readonly dirty = new Set<string>();
  private dirtyTimer: NodeJS.Immediate | undefined;
  private readonly watcher: PathWatcher;
  private readonly changeWatch: RestartOnChange;
  readonly events = new EventLog();
  private changes = 0;
  private api: ApiServer | undefined;
  private readonly socket: string;
  private readonly startedAt = new Date();
  private watchMode: ExitWatchModeInfo = { mode: 'poll' };
  private lastReread: RereadOutcome | null = null;
  private readonly apiWaiters = new Set<() => void>();
  private readonly logRotator: LogRotator;
  /** applyConfig callers, told when a configuration has been put into force (or the daemon stops). */
  private readonly applyWaiters = new Set<() => void>();

  constructor(
    loaded: LoadedConfig,
    private readonly options: DaemonOptions,
  ) {
    this.current = loaded;
    this.log = options.log.for(SELF);
    this.pidfile = loaded.config.main.pidfile;
    this.stateDir = defaultStateDir(options.env);
    this.alerter = new LazyAlerter(options.log.for('alerts'), options.env);
    this.metrics = new DaemonMetrics(
      { daemonView: () => this.daemonView(), programViews: () => this.programViews(), alertCounts: () => this.alerter.counts() },
      options.log.for('metrics'),
    );
    this.socket = apiSocketPath(this.stateDir);
    this.watcher = new PathWatcher((programs) => this.filesChanged(programs), this.log);
    this.changeWatch = new RestartOnChange({
      log: (name) => options.log.for(name),
      restart: (name, file, more) => void this.entries.get(name)?.supervisor.restartForChange(file, more),
    });
    const uid = process.getuid?.() ?? 0;
    this.notify = new NotifyKeeper(() => this.ctx);
    this.ctx = {
      // A plain copy: process.env is a view whose every key read crosses into C++, and each launch
      // copies the environment and records it (~0.3 ms a launch in the interpreter-only daemon).
      env: { ...options.env },
      uid,
      stateDir: this.stateDir,
      logger: options.log.for('launcher'),
      snapshot: coalescingSnapshot(() => processTableOf(uid), { gapMs: SNAPSHOT_GAP_MS, gapPerScanTime: 2 }),
      orphanSpawn: nativeOrphanSpawnAsync(),
      ...this.notify.context,
      onWaitingForReady: (name, check, last) => {
        const since = this.readyWaits.get(name)?.sinceMs ?? Date.now();
        this.readyWaits.set(name, { check, last, sinceMs: since });
      },
      tryLockFile: nativeTryLockFile(),
    };
    const lockTimeoutMs = lockTimeoutFromEnv(options.env);
    if (lockTimeoutMs !== undefined) this.ctx.lockTimeoutMs = lockTimeoutMs;
    this.logRotator = new LogRotator({ log: options.log, ctx: this.ctx, ...logRotatorTuning(options.env) });
  }

  /** Runs until SIGTERM/SIGINT (or stop()); resolves with the exit code. */
  async run(): Promise<number> {
    const stopped = new Promise<number>((resolve) => {
      this.resolveStopped = resolve;
    });
    const { main } = this.current.config;
    this.installSignalHandlers();
    try {
      this.options.log.redirect({ stdout: main.usrsvcdStdout, stderr: main.usrsvcdStderr });
    } catch (error) {
      this.log.error(`Cannot open usrsvcd_stdout/usrsvcd_stderr for writing: ${message(error)}`);
      return ReturnCodes.INSUFFICIENT_PERMISSIONS;
    }
    try {
      const owner = await claimDaemonPidfile(this.pidfile, this.ctx);
      if (owner !== undefined) {
        this.log.error(`usrsvcd is already running as pid ${owner}; exiting.`);
        return ReturnCodes.USRSVCD_ALREADY_RUNNING;
      }
    } catch (error) {
      this.log.error(`Failed to write PID file ( ${this.pidfile} ): ${message(error)}`);
      return ReturnCodes.INSUFFICIENT_PERMISSIONS;
    }
    const watchMode = exitWatchMode();
    this.watchMode = watchMode;
    // A start that has seen its program run waits for success_seconds on a pidfd, not by polling.
    if (watchMode.mode === 'pidfd') this.ctx.watchExit = (identity, onExit) => watchExit(identity, onExit);
    const watchText =
      watchMode.mode === 'pidfd'
        ? 'pidfd (the kernel reports each exit at once)'
        : `poll every ${this.options.pollIntervalMs} ms (${watchMode.reason ?? 'pidfd unavailable'})`;
    this.log.info(`usrsvcd started as pid: ${process.pid}; exit watch: ${watchText}; safety scan every ${this.options.scanIntervalMs / 1000} s.`);
    this.started = true;
    if (this.stopBeforeStart !== undefined) {
      void this.stop(this.stopBeforeStart);
      return stopped;
    }
    const claimed = readDaemonState(this.stateDir, process.pid);
    const state: DaemonState = {
      pid: process.pid,
      startTicks: claimed?.startTicks ?? Number.NaN,
      startedAt: this.startedAt.toISOString(),
      exitWatch: { mode: watchMode.mode, reason: watchMode.reason },
    };
    if (await this.startApi()) state.socket = this.socket;
    writeDaemonState(this.stateDir, state);
    this.apply(this.current, true);
    this.keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    this.scheduleMonitorPass();
    this.pass('full');
    if (this.rereadOnStart) void this.reread();
    return stopped;
  }

  /** Stops managing (services keep running), flushes alerts, removes the pidfile. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info(`${reason}, shutting down. Services are left running.`);
    clearTimeout(this.scanTimer);
    clearInterval(this.keepAlive);
    clearTimeout(this.monitorTimer);
    this.settleApplyWaiters();
    if (this.dirtyTimer) clearImmediate(this.dirtyTimer);
    this.watcher.close();
    this.changeWatch.close();
    await this.api?.close().catch((error: unknown) => this.log.warn(`closing the API: ${message(error)}`));
    this.logRotator.stop();
    this.aborter.abort();
    const supervisors = [...this.entries.values()].map((entry) => entry.supervisor);
    for (const supervisor of supervisors) supervisor.dispose();
    this.notify.closeAll();
    // A start in flight has launched its service: let it write the pidfile, so nothing is orphaned unrecorded.
    await Promise.race([Promise.all(supervisors.map((s) => s.settled())), new Promise((r) => setTimeout(r, 3_000))]);
    try {
      await this.alerter.close(2_000);
    } catch (error) {
      this.log.warn(`alerts could not be flushed: ${message(error)}`);
    }
    await this.metrics.close();
    removeDaemonPidfile(this.pidfile);
    if (readDaemonState(this.stateDir, process.pid)) fs.rmSync(daemonStateFile(this.stateDir), { force: true });
    this.log.info('usrsvcd stopped.');
    this.resolveStopped(ReturnCodes.SUCCESS);
  }

  /** SIGUSR1 or POST /v1/reread: validate the configuration now, apply it on the next pass; on errors keep the last good one. */
  async reread(trigger = 'Got SIGUSR1'): Promise<RereadOutcome> {
    if (this.stopping || this.rereading) {
      // A reread during a reread may follow a newer edit: read once more afterwards.
      if (this.rereading) this.rereadAgain = true;
      return this.lastReread ?? this.rereadOutcome(true, this.current, []);
    }
    this.rereading = true;
    this.log.info(`${trigger}, reprocessing config.`);
    let outcome: RereadOutcome;
    try {
      const next = await loadConfig(this.options.env);
      this.pending = next;
      this.log.info(`New configuration is valid (${next.config.programs.size} programs); applying it on the next pass.`);
      outcome = this.rereadOutcome(true, next, []);
      this.pass('full');
    } catch (error) {
      const problems = error instanceof ConfigLoadError ? error.problems : [message(error)];
      this.log.error(`Error in configuration, keeping the last good configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
      for (const problem of problems) this.log.error(`  ${problem}`);
      const details = error instanceof ConfigLoadError && error.details.length > 0 ? error.details : problems.map((p) => ({ file: '', message: p }));
      outcome = this.rereadOutcome(false, this.current, details);
    } finally {
      this.rereading = false;
    }
    this.lastReread = outcome;
    this.publish({ type: 'daemon', daemon: this.daemonView() });
    if (this.rereadAgain) {
      this.rereadAgain = false;
      return this.reread(trigger);
    }
    return outcome;
  }

  private rereadOutcome(ok: boolean, config: LoadedConfig, errors: ConfigProblem[]): RereadOutcome {
    const warnings = config.config.warnings.map((w) => ({ file: w.file, line: w.line, section: w.section, key: w.key, message: w.message }));
    return { at: new Date().toISOString(), ok, programs: config.config.programs.size, errors, warnings };
  }

  /** Bumped on every state change (for caches of the API's answers). */
  get version(): number {
    return this.changes;
  }

  daemonView(): DaemonView {
    const user = (() => {
      try {
        return os.userInfo().username;
      } catch {
        return String(this.ctx.uid);
      }
    })();
    return {
      pid: process.pid,
      version: daemonVersion(),
      startedAt: this.startedAt.toISOString(),
      user,
      host: os.hostname(),
      exitWatch: this.watchMode.reason ? { mode: this.watchMode.mode, reason: this.watchMode.reason } : { mode: this.watchMode.mode },
      configFiles: [...this.current.config.files],
      socket: this.socket,
      lastReread: this.lastReread,
    };
  }

  programViews(): ProgramView[] {
    const now = Date.now();
    return [...this.entries.values()].map((entry) => programView(entry.supervisor, this.ctx, now, this.readinessFacts(entry.supervisor)));
  }

  programView(name: string): ProgramView | undefined {
    const entry = this.entries.get(name);
    return entry && programView(entry.supervisor, this.ctx, Date.now(), this.readinessFacts(entry.supervisor));
  }

  /** An action through the launcher, as the CLI does it (same locks, user-stop marks, codes). */
  async act(name: string, action: ProgramAction): Promise<ActionResponse | undefined> {
    const targets = actionTargets(this.current.config.programs, name);
    if (targets.some((target) => target.program === undefined)) return undefined;
    const results: ActionResultView[] = [];
    for (const target of targets) {
      if (action === 'restart') this.entries.get(target.name)?.supervisor.countManualRestart();
      const result = await runProgramAction(target, action, this.ctx, (error) => this.log.error(`API ${action} of ${target.name} failed: ${message(error)}`));
      results.push(resultView(result));
      this.filesChanged(new Set([target.name]));
    }
    return { code: actionExitCode(name, results), results };
  }

  /** Sends a signal to the program's main process, re-checked right before (pid, start time, and proctitle_re unless usrsvc launched it). */
  async signal(name: string, signal: NodeJS.Signals): Promise<'sent' | 'not-running' | 'not-permitted'> {
    const supervisor = this.entries.get(name)?.supervisor;
    const running = supervisor?.runningProcess;
    if (!supervisor || !running) return 'not-running';
    const outcome =
      running.foundBy === 'launch' ? signalMember(running.identity, this.ctx.uid, signal) : signalIfSame(running.identity, supervisor.program.proctitleRe, this.ctx.uid, signal);
    if (outcome === 'sent') this.options.log.info(name, `sent ${signal} to pid ${running.pid} (API).`);
    return outcome === 'gone' ? 'not-running' : outcome;
  }

  /** The configuration in force. */
  get configInForce(): LoadedConfig {
    return this.current;
  }

  /** Puts `next` into force on a pass (as a reread does, without reading files); resolves once applied. */
  applyConfig(next: LoadedConfig, why: string): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.log.info(`${why}: applying a configuration of ${next.config.programs.size} programs.`);
    return new Promise((resolve) => {
      this.applyWaiters.add(resolve);
      this.pending = next;
      void this.pass('full');
    });
  }

  private settleApplyWaiters(): void {
    for (const done of [...this.applyWaiters]) done();
    this.applyWaiters.clear();
  }

  private async startApi(): Promise<boolean> {
    const routes = addMetricsRoute(addV1Routes(new RouteTable(), this, new EventStreams(this.events, () => this.snapshotEvents())), this.metrics);
    addLogsRoute(routes, (name) => this.current.config.programs.get(name));
    addStatusAnswerRoute(routes, { programViews: () => currentProgramViews(this), programView: (name) => this.programView(name), ownConfigFile: () => this.current.config.main.file });
    addSupervisorRoutes(routes, new DaemonSupervisorBackend(this, this.options.env, this.ctx), (error) =>
      this.log.error(`XML-RPC: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    const server = new ApiServer(
      routes,
      (error) => this.log.error(`API: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      () => this.supervisionFirst(),
    );
    try {
      ensureStateDir(this.stateDir, this.ctx.uid);
      await server.listen(this.socket, this.ctx.uid);
    } catch (error) {
      this.log.error(`${message(error)}; running without the API.`);
      return false;
    }
    this.api = server;
    this.log.info(`API listening on ${this.socket}.`);
    return true;
  }

  /** The API's route table: later features (logs, metrics) add their routes here. */
  get routes(): RouteTable | undefined {
    return this.api?.routes;
  }

  private snapshotEvents(): DaemonEvent[] {
    return [{ type: 'daemon', daemon: this.daemonView() }, ...this.programViews().map((program) => ({ type: 'program' as const, program }))];
  }

  private publish(event: DaemonEvent): void {
    this.changes += 1;
    this.events.publish(event);
    this.metrics.changed(event.type === 'program' ? event.program : undefined);
  }

  /** depends_on: why a start of the program must wait now, or undefined (the table holds it in 'held'). */
  private dependencyHeld(name: string): string | undefined {
    const program = this.entries.get(name)?.supervisor.program;
    if (!program) return undefined;
    return dependencyGate(program, (dependency) => {
      // A dependency that runs counts as running, managed by usrsvcd or not.
      const supervisor = this.entries.get(dependency)?.supervisor;
      return supervisor?.process ? 'running' : supervisor?.state.kind;
    });
  }

  private readinessFacts(supervisor: ProgramSupervisor): ReadinessFacts {
    const { name } = supervisor;
    const notify = supervisor.program.readyCheck?.kind === 'notify' ? this.notify.state(name) : undefined;
    const wait = supervisor.state.kind === 'starting' ? this.readyWaits.get(name) : undefined;
    if (supervisor.state.kind !== 'starting') this.readyWaits.delete(name);
    const waitingFor = wait ? `waiting for ${wait.check}, ${Math.round((Date.now() - wait.sinceMs) / 1000)} s: ${wait.last}` : supervisor.state.kind === 'held' ? supervisor.state.why : undefined;
    return { notify, waitingFor };
  }

  private programChanged(name: string): void {
    this.unsettled.add(name);
    this.armScan();
    const entry = this.entries.get(name);
    if (entry) this.publish({ type: 'program', program: programView(entry.supervisor, this.ctx, Date.now(), this.readinessFacts(entry.supervisor)) });
    if (entry) this.followNotify(entry.supervisor);
    // Its held dependents look again: a dependency that runs now lets them start, one in backoff changes why they wait.
    const held = [...(this.dependents.get(name) ?? [])].filter((dependent) => this.entries.get(dependent)?.supervisor.state.kind === 'held');
    if (held.length > 0) this.filesChanged(new Set(held));
    if (this.apiWaiters.size > 0 && !this.launching()) {
      for (const done of [...this.apiWaiters]) done();
    }
  }

  /** ready_check = notify: usrsvcd listens on the running program's socket, whoever started it. */
  private followNotify(supervisor: ProgramSupervisor): void {
    const running = supervisor.runningProcess;
    if (supervisor.program.readyCheck?.kind !== 'notify' || !running || this.stopping) return;
    void this.notify.follow(supervisor.name, running.pid, this.options.log.for(supervisor.name));
  }

  private launching(): boolean {
    for (const entry of this.entries.values()) if (entry.supervisor.launching) return true;
    return false;
  }

  /**
   * API requests wait while a program is between "start it" and its spawn (at most
   * SUPERVISION_FIRST_MS): a client flooding the API then costs a restart almost nothing, as
   * each keep-alive client waits for its answer before it sends the next request.
   */
  private supervisionFirst(): Promise<void> {
    if (!this.launching()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.apiWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, SUPERVISION_FIRST_MS);
      timer.unref();
      this.apiWaiters.add(done);
    });
  }

  /** inotify: these programs' pidfiles or user-stop marks changed; observe them on a pass at once. */
  private filesChanged(programs: ReadonlySet<string>): void {
    for (const name of programs) this.dirty.add(name);
    this.dirtyTimer ??= setImmediate(() => {
      this.dirtyTimer = undefined;
      void this.pass('files');
    });
  }

  /** The files whose changes matter: each program's pidfile and user-stop mark. */
  private watchFiles(): void {
    const files = new Map<string, Set<string>>();
    const add = (file: string, name: string) => files.set(file, new Set([...(files.get(file) ?? []), name]));
    let stopped: string | undefined;
    try {
      stopped = ensureStateDir(this.stateDir, this.ctx.uid, 'stopped');
    } catch (error) {
      this.log.warn(`cannot create ${path.join(this.stateDir, 'stopped')}: ${message(error)}`);
    }
    for (const [name, entry] of this.entries) {
      add(entry.supervisor.program.pidfile, name);
      if (stopped) add(path.join(stopped, stateFileName(name)), name);
    }
    this.watcher.sync(files);
  }

  /**
   * Installed before the pidfile is claimed: `usrsvcd stop` signals the PID the pidfile names as
   * soon as it is written, and a signal with no handler yet would end the daemon by Node's default
   * action, leaving its pidfile and state behind. Until the claim is done a signal is remembered.
   */
  private installSignalHandlers(): void {
    const stopOn = (signal: string) => () => {
      if (this.started) void this.stop(`usrsvcd got ${signal}`);
      else this.stopBeforeStart ??= `usrsvcd got ${signal}`;
    };
    process.on('SIGTERM', stopOn('SIGTERM'));
    process.on('SIGINT', stopOn('SIGINT'));
    process.on('SIGUSR1', () => {
      if (this.started) void this.reread();
      else this.rereadOnStart = true;
    });
    process.on('SIGHUP', () => this.logRotator.reopenOwnLogs()); // `usrsvcd reopen-logs`, logrotate's postrotate
    process.on('uncaughtException', (error) => this.log.error(`unexpected error, continuing: ${error.stack ?? error.message}`));
    process.on('unhandledRejection', (error) => this.log.error(`unexpected rejection, continuing: ${message(error)}`));
  }

  /** One pass: applies a pending configuration, then one process-table snapshot serves every program. */
  /** kind: 'full' observes every program, 'partial' those not known to run, 'files' only those whose files changed. */
  private async pass(kind: 'files' | 'partial' | 'full'): Promise<void> {
    if (this.stopping) return;
    if (this.passing) {
      const rank = { none: 0, files: 1, partial: 2, full: 3 } as const;
      if (rank[kind] > rank[this.passQueued]) this.passQueued = kind;
      return;
    }
    this.passing = true;
    try {
      let full = kind === 'full';
      if (this.pending) {
        this.apply(this.pending, false);
        this.pending = undefined;
        full = true;
      }
      const dirty = new Set(this.dirty);
      this.dirty.clear();
      // A pass woken by inotify reads only the changed programs' pidfiles (a scan only when one needs it).
      const wokenOnly = !full && kind === 'files';
      // One loop over the programs, no arrays of all of them: the safety pass of an idle daemon
      // with 1000 programs must cost next to nothing.
      const scanned: ProgramSupervisor[] = [];
      const changed: ProgramSupervisor[] = [];
      // stop_as_group: the tree of each running program is recorded, to be stopped after a crash.
      const trees: ProgramSupervisor[] = [];
      for (const supervisor of this.passCandidates(full ? 'full' : kind, dirty)) {
        if (!wokenOnly && (full || supervisor.needsObservation())) scanned.push(supervisor);
        else if (dirty.has(supervisor.name)) changed.push(supervisor);
        if (!wokenOnly && supervisor.program.stopAsGroup && supervisor.runningProcess) trees.push(supervisor);
      }
      const table = scanned.length > 0 || trees.length > 0 ? await this.ctx.snapshot!() : undefined;
      await Promise.all([...scanned.map((supervisor) => supervisor.observe(table)), ...changed.map((supervisor) => supervisor.observe())]);
      for (const s of trees) if (table && s.runningProcess) await rememberProgramTree(s.program, this.ctx, table, s.runningProcess);
      // A usrsvc start that held a notify program's socket until it was ready may have ended since.
      if (!wokenOnly) {
        for (const name of this.notifyPrograms) {
          const supervisor = this.entries.get(name)?.supervisor;
          if (supervisor) this.followNotify(supervisor);
        }
      }
    } catch (error) {
      this.log.error(`pass failed, retrying on the next one: ${message(error)}`);
    } finally {
      this.passing = false;
    }
    const queued = this.passQueued;
    this.passQueued = 'none';
    if (queued !== 'none') await this.pass(queued);
  }

  /**
   * Arms the next safety pass if one would look at anything. An idle daemon whose programs all
   * run and are watched by pidfd then has no timer to wake for: each wake costs about a
   * millisecond of CPU whatever the pass finds. programChanged and apply, the only ways into
   * the sets a periodic pass reads, arm it again.
   */
  private armScan(): void {
    if (this.scanTimer || this.stopping || !this.scanNeeded()) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      void this.pass('partial').then(() => this.armScan());
    }, this.options.scanIntervalMs);
  }

  private scanNeeded(): boolean {
    return this.unsettled.size > 0 || this.groupStoppers.size > 0 || this.notifyPrograms.size > 0;
  }

  /**
   * The supervisors a pass looks at: all of them, except for a periodic (partial) pass: those
   * changed since one last found nothing to learn about them, held ones, stop_as_group ones and
   * those whose files changed. Prunes the settled ones.
   */
  private *passCandidates(kind: 'files' | 'partial' | 'full', dirty: ReadonlySet<string>): Iterable<ProgramSupervisor> {
    if (kind !== 'partial') {
      for (const entry of this.entries.values()) yield entry.supervisor;
      return;
    }
    const names = new Set([...this.unsettled, ...this.groupStoppers, ...dirty]);
    for (const name of names) {
      const supervisor = this.entries.get(name)?.supervisor;
      if (!supervisor) {
        this.unsettled.delete(name);
        continue;
      }
      // Settled: nothing to learn by looking until its next change (which adds it again).
      if (!supervisor.needsObservation() && supervisor.state.kind !== 'held') this.unsettled.delete(name);
      yield supervisor;
    }
  }

  private apply(next: LoadedConfig, initial: boolean): void {
    const before = new Map([...this.entries].map(([name, entry]) => [name, entry.supervisor.program]));
    const after = next.config.programs;
    const diff = diffPrograms(before, after);
    if (initial) {
      this.log.info(`Configuration: ${after.size} programs from ${next.config.files.join(', ')}.`);
    } else {
      this.log.info(`Applied the new configuration: ${describeDiff(diff)}.`);
    }
    for (const warning of next.config.warnings) {
      this.log.warn(formatConfigWarning(warning));
    }
    for (const name of diff.removed) {
      const removed = this.entries.get(name)?.supervisor.program;
      this.entries.get(name)?.supervisor.dispose();
      this.entries.delete(name);
      this.notify.forget(name);
      this.publish({ type: 'program-removed', name });
      if (removed && isScaledDownInstance(removed, after)) this.stopRemovedInstance(removed);
      else this.options.log.info(name, 'removed from the configuration: left running, no longer managed by usrsvcd.');
    }
    this.dependents = new Map();
    for (const [name, program] of after) {
      for (const dependency of program.dependsOn) this.dependents.set(dependency, new Set([...(this.dependents.get(dependency) ?? []), name]));
    }
    for (const [name, program] of after) {
      const existing = this.entries.get(name);
      const log = this.options.log.for(name);
      if (existing) {
        // An unchanged program keeps its monitors (and their state, such as an HTTP monitor's failure count).
        if (diff.changed.some((c) => c.name === name)) {
          existing.supervisor.update(program);
          existing.monitors = this.monitorsFor(program, next, log);
        }
      } else {
        const supervisor = new ProgramSupervisor(program, {
          ctx: this.ctx,
          log,
          watchExit: (identity, onExit) => watchExit(identity, onExit, { pollIntervalMs: this.options.pollIntervalMs }),
          alert: (p, kind, reason, details) => this.alert(p, kind, reason, details),
          changed: () => this.programChanged(name),
          dependencyHeld: () => this.dependencyHeld(name),
        });
        this.entries.set(name, { supervisor, monitors: this.monitorsFor(program, next, log), log });
        this.programChanged(name);
      }
    }
    this.groupStoppers.clear();
    this.notifyPrograms.clear();
    for (const [name, program] of after) {
      if (program.stopAsGroup) this.groupStoppers.add(name);
      if (program.readyCheck?.kind === 'notify') this.notifyPrograms.add(name);
    }
    this.armScan();
    this.watchFiles();
    this.changeWatch.sync(after.values());
    this.applyMain(next.config.main, initial ? undefined : this.current.config.main);
    this.current = next;
    if (!initial) this.scheduleMonitorPass();
    this.options.log.setFormat(next.config.main.usrsvcdLogFormat);
    this.logRotator.update(after.values(), next.config.main);
    this.settleApplyWaiters();
  }

  /** An instance that a smaller `instances` removed is stopped: its program still runs, with fewer copies. */
  private stopRemovedInstance(program: ProgramConfig): void {
    const log = this.options.log.for(program.name);
    log.info(`removed from the configuration (${program.instanceOf} has fewer instances now): stopping it.`);
    void stopProgram(program, this.ctx).then(
      (result) => (result.code === ReturnCodes.SUCCESS ? log.info(result.message) : log.error(`could not stop it: ${result.message}`)),
      (error: unknown) => log.error(`could not stop it: ${message(error)}`),
    );
  }

  private applyMain(main: MainConfig, previous: MainConfig | undefined): void {
    if (previous && (previous.usrsvcdStdout !== main.usrsvcdStdout || previous.usrsvcdStderr !== main.usrsvcdStderr)) {
      try {
        this.options.log.redirect({ stdout: main.usrsvcdStdout, stderr: main.usrsvcdStderr });
        this.log.info(`usrsvcd running as pid: ${process.pid} (logging here after a configuration change).`);
      } catch (error) {
        this.log.error(`Cannot open usrsvcd_stdout/usrsvcd_stderr for writing, keeping the current logs: ${message(error)}`);
      }
    }
    if (previous && previous.pidfile !== main.pidfile) {
      this.log.warn(`[Main] pidfile changed to ${main.pidfile}: takes effect when usrsvcd restarts (still ${this.pidfile}).`);
    }
    this.alerter.configure(main);
    void this.metrics.configure(main);
  }

  private monitorsFor(program: ProgramConfig, loaded: LoadedConfig, log: MonitoredProgram['log']): MonitoredProgram['monitors'] {
    try {
      const { monitors, errors } = createMonitors(program, loaded.plugins);
      for (const error of errors) log.error(`MONITOR: ${error.message}`);
      if (program.watchdogSeconds > 0) {
        monitors.push(createWatchdogMonitor({ seconds: program.watchdogSeconds, lastPingMs: (pid) => this.notify.lastPingMs(program.name, pid) }));
      }
      return monitors;
    } catch (error) {
      log.error(`MONITOR: cannot create monitors: ${message(error)}`);
      return [];
    }
  }

  private alert(program: ProgramConfig, kind: AlertKind, reason: string, details: AlertDetails = {}): void {
    const { main } = this.current.config;
    const event: AlertEvent = { program: program.name, recipients: program.emailAlerts, kind, reason, time: new Date(), stderrFile: program.stderr };
    if (details.pid !== undefined) event.pid = details.pid;
    if (details.stderrOffset !== undefined) event.stderrOffset = details.stderrOffset;
    // The program's webhook_url, else [Main]'s; each key on its own, like DefaultSettings.
    const url = program.webhookUrl ?? main.webhookUrl;
    const secret = program.webhookSecret ?? main.webhookSecret;
    if (url) event.webhook = secret ? { url, secret } : { url };
    this.alerter.notify(main, event);
  }

  /** Monitor passes run on a timer only while some program has monitors: an idle daemon without them never wakes for nothing. */
  private scheduleMonitorPass(): void {
    if (this.stopping || this.monitorTimer !== undefined) return;
    if (![...this.entries.values()].some((entry) => entry.monitors.length > 0)) return;
    const intervalMs = Math.max(0.1, this.current.config.main.monitorInterval) * 1000;
    this.monitorTimer = setTimeout(() => {
      this.monitorPass()
        .catch((error: unknown) => this.log.error(`monitor pass failed: ${message(error)}`))
        .finally(() => {
          this.monitorTimer = undefined;
          this.scheduleMonitorPass();
        });
    }, intervalMs);
  }

  private async monitorPass(): Promise<void> {
    const due = [...this.entries.values()].filter((entry) => entry.monitors.length > 0 && entry.supervisor.runningProcess);
    if (due.length === 0) return;
    // A usrsvc start that held the socket until its program was ready has ended meanwhile.
    for (const entry of due) this.followNotify(entry.supervisor);
    const table = await this.ctx.snapshot!();
    await runMonitorPass(due, table, {
      timeoutMs: this.current.config.main.monitorTimeout * 1000,
      signal: this.aborter.signal,
      inFlight: this.monitorsInFlight,
    });
  }
}

const resultView = (result: ActionResult): ActionResultView => actionResultView(result, returnCodeName);
