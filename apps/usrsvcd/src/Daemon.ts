import fs from 'node:fs';
import type { MainConfig, ProgramConfig } from '@usrsvc/config';
import { exitWatchMode, watchExit } from '@usrsvc/exitwatch';
import { defaultStateDir, type LaunchContext, ReturnCodes } from '@usrsvc/launcher';
import { createMonitors } from '@usrsvc/monitors';
import { coalescingSnapshot, snapshotProcesses } from '@usrsvc/procscan';
import { describeDiff, diffPrograms } from './configDiff.js';
import { claimDaemonPidfile, daemonStateFile, removeDaemonPidfile, writeDaemonState } from './daemonPidfile.js';
import { LazyAlerter } from './lazyAlerter.js';
import { ConfigLoadError, type LoadedConfig, loadConfig } from './loadConfig.js';
import type { DaemonLog } from './log.js';
import { type MonitoredProgram, runMonitorPass } from './monitorPass.js';
import { type AlertKind, message, ProgramSupervisor } from './ProgramSupervisor.js';

export interface DaemonOptions {
  env: NodeJS.ProcessEnv;
  log: DaemonLog;
  /** Safety re-scan for programs not known to run (started behind our back, user-stopped...). */
  scanIntervalMs: number;
  /** Exit-watch polling interval, when pidfd is not available. */
  pollIntervalMs: number;
}

const SELF = 'usrsvcd';

/** Back-to-back process-table scans (200 starts polling) are spaced by this much. */
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

/** The running daemon: composes config, launcher, exit watches, monitors and alerts. */
export class Daemon {
  private current: LoadedConfig;
  private pending: LoadedConfig | undefined;
  private readonly entries = new Map<string, MonitoredProgram>();
  private readonly alerter: LazyAlerter;
  private readonly ctx: LaunchContext;
  private readonly stateDir: string;
  private readonly pidfile: string;
  private passing = false;
  private passQueued: 'none' | 'partial' | 'full' = 'none';
  private rereading = false;
  private rereadAgain = false;
  private scanTimer: NodeJS.Timeout | undefined;
  private monitorTimer: NodeJS.Timeout | undefined;
  private readonly monitorsInFlight = new Set<string>();
  private readonly aborter = new AbortController();
  private stopping = false;
  private resolveStopped: (code: number) => void = () => {};
  private readonly log;

  constructor(
    loaded: LoadedConfig,
    private readonly options: DaemonOptions,
  ) {
    this.current = loaded;
    this.log = options.log.for(SELF);
    this.pidfile = loaded.config.main.pidfile;
    this.stateDir = defaultStateDir(options.env);
    this.alerter = new LazyAlerter(options.log.for('alerts'), options.env);
    const uid = process.getuid?.() ?? 0;
    this.ctx = {
      env: options.env,
      uid,
      stateDir: this.stateDir,
      logger: options.log.for('launcher'),
      snapshot: coalescingSnapshot(() => snapshotProcesses({ uid }), { gapMs: SNAPSHOT_GAP_MS }),
    };
  }

  /** Runs until SIGTERM/SIGINT (or stop()); resolves with the exit code. */
  async run(): Promise<number> {
    const stopped = new Promise<number>((resolve) => {
      this.resolveStopped = resolve;
    });
    const { main } = this.current.config;
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
    const watchText =
      watchMode.mode === 'pidfd'
        ? 'pidfd (the kernel reports each exit at once)'
        : `poll every ${this.options.pollIntervalMs} ms (${watchMode.reason ?? 'pidfd unavailable'})`;
    this.log.info(`usrsvcd started as pid: ${process.pid}; exit watch: ${watchText}; safety scan every ${this.options.scanIntervalMs / 1000} s.`);
    writeDaemonState(this.stateDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      exitWatch: { mode: watchMode.mode, reason: watchMode.reason },
    });
    this.installSignalHandlers();
    this.apply(this.current, true);
    this.scanTimer = setInterval(() => this.pass('partial'), this.options.scanIntervalMs);
    this.scheduleMonitorPass();
    this.pass('full');
    return stopped;
  }

  /** Stops managing (services keep running), flushes alerts, removes the pidfile. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info(`${reason}, shutting down. Services are left running.`);
    clearInterval(this.scanTimer);
    clearTimeout(this.monitorTimer);
    this.aborter.abort();
    const supervisors = [...this.entries.values()].map((entry) => entry.supervisor);
    for (const supervisor of supervisors) supervisor.dispose();
    // A start in flight has launched its service: let it write the pidfile, so nothing is orphaned unrecorded.
    await Promise.race([Promise.all(supervisors.map((s) => s.settled())), new Promise((r) => setTimeout(r, 3_000))]);
    try {
      await this.alerter.close(2_000);
    } catch (error) {
      this.log.warn(`alerts could not be flushed: ${message(error)}`);
    }
    removeDaemonPidfile(this.pidfile);
    fs.rmSync(daemonStateFile(this.stateDir), { force: true });
    this.log.info('usrsvcd stopped.');
    this.resolveStopped(ReturnCodes.SUCCESS);
  }

  /** SIGUSR1: validate the configuration now, apply it on the next pass; on errors keep the last good one. */
  async reread(): Promise<void> {
    if (this.stopping) return;
    if (this.rereading) {
      // A SIGUSR1 during a reread may follow a newer edit: read once more afterwards.
      this.rereadAgain = true;
      return;
    }
    this.rereading = true;
    this.log.info('Got SIGUSR1, reprocessing config.');
    try {
      const next = await loadConfig(this.options.env);
      this.pending = next;
      this.log.info(`New configuration is valid (${next.config.programs.size} programs); applying it on the next pass.`);
      this.pass('full');
    } catch (error) {
      const problems = error instanceof ConfigLoadError ? error.problems : [message(error)];
      this.log.error(`Error in configuration, keeping the last good configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
      for (const problem of problems) this.log.error(`  ${problem}`);
    } finally {
      this.rereading = false;
    }
    if (this.rereadAgain) {
      this.rereadAgain = false;
      await this.reread();
    }
  }

  private installSignalHandlers(): void {
    process.on('SIGTERM', () => void this.stop('usrsvcd got SIGTERM'));
    process.on('SIGINT', () => void this.stop('usrsvcd got SIGINT'));
    process.on('SIGUSR1', () => void this.reread());
    process.on('SIGHUP', () => this.log.info('Got SIGHUP: ignored (use "usrsvcd reread" or SIGUSR1 to reread the configuration).'));
    process.on('uncaughtException', (error) => this.log.error(`unexpected error, continuing: ${error.stack ?? error.message}`));
    process.on('unhandledRejection', (error) => this.log.error(`unexpected rejection, continuing: ${message(error)}`));
  }

  /** One pass: applies a pending configuration, then one process-table snapshot serves every program. */
  private async pass(kind: 'partial' | 'full'): Promise<void> {
    if (this.stopping) return;
    if (this.passing) {
      if (this.passQueued !== 'full') this.passQueued = kind;
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
      const targets = [...this.entries.values()]
        .map((entry) => entry.supervisor)
        .filter((supervisor) => full || supervisor.needsObservation());
      if (targets.length > 0) {
        const table = await this.ctx.snapshot!();
        await Promise.all(targets.map((supervisor) => supervisor.observe(table)));
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
      this.log.warn(`${warning.file}:${warning.line}: [${warning.section}]${warning.key ? ` ${warning.key}:` : ''} ${warning.message}`);
    }
    for (const name of diff.removed) {
      this.entries.get(name)?.supervisor.dispose();
      this.entries.delete(name);
      this.options.log.info(name, 'removed from the configuration: left running, no longer managed by usrsvcd.');
    }
    for (const [name, program] of after) {
      const existing = this.entries.get(name);
      const log = this.options.log.for(name);
      if (existing) {
        if (diff.changed.some((c) => c.name === name)) existing.supervisor.update(program);
        existing.monitors = this.monitorsFor(program, next, log);
      } else {
        const supervisor = new ProgramSupervisor(program, {
          ctx: this.ctx,
          log,
          watchExit: (identity, onExit) => watchExit(identity, onExit, { pollIntervalMs: this.options.pollIntervalMs }),
          alert: (p, kind, reason) => this.alert(p, kind, reason),
        });
        this.entries.set(name, { supervisor, monitors: this.monitorsFor(program, next, log), log });
      }
    }
    this.applyMain(next.config.main, initial ? undefined : this.current.config.main);
    this.current = next;
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
  }

  private monitorsFor(program: ProgramConfig, loaded: LoadedConfig, log: MonitoredProgram['log']): MonitoredProgram['monitors'] {
    try {
      const { monitors, errors } = createMonitors(program, loaded.plugins);
      for (const error of errors) log.error(`MONITOR: ${error.message}`);
      return monitors;
    } catch (error) {
      log.error(`MONITOR: cannot create monitors: ${message(error)}`);
      return [];
    }
  }

  private alert(program: ProgramConfig, kind: AlertKind, reason: string): void {
    const event = { program: program.name, recipients: program.emailAlerts, kind, reason, time: new Date(), stderrFile: program.stderr };
    this.alerter.notify(this.current.config.main, event);
  }

  private scheduleMonitorPass(): void {
    if (this.stopping) return;
    const intervalMs = Math.max(0.1, this.current.config.main.monitorInterval) * 1000;
    this.monitorTimer = setTimeout(() => {
      this.monitorPass()
        .catch((error: unknown) => this.log.error(`monitor pass failed: ${message(error)}`))
        .finally(() => this.scheduleMonitorPass());
    }, intervalMs);
  }

  private async monitorPass(): Promise<void> {
    const due = [...this.entries.values()].filter((entry) => entry.monitors.length > 0 && entry.supervisor.runningProcess);
    if (due.length === 0) return;
    const table = await this.ctx.snapshot!();
    await runMonitorPass(due, table, {
      timeoutMs: this.current.config.main.monitorTimeout * 1000,
      signal: this.aborter.signal,
      inFlight: this.monitorsInFlight,
    });
  }
}
