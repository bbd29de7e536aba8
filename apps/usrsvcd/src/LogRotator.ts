import fs from 'node:fs';
import type { MainConfig, ProgramConfig } from '@usrsvc/config';
import { findRunningProgram, type LaunchContext } from '@usrsvc/launcher';
import { type RotateResult, rotateLog } from '@usrsvc/logs';
import type { DaemonLog } from './log.js';

export interface LogRotatorOptions {
  log: DaemonLog;
  /** Used to find a program's running process before sending it reopen_signal. */
  ctx: LaunchContext;
  /** Time between size checks (one stat per log file per check). */
  checkIntervalMs: number;
}

/** Knobs read from the environment (for tests; the default suits production). */
export function logRotatorTuning(env: NodeJS.ProcessEnv): Pick<LogRotatorOptions, 'checkIntervalMs'> {
  const value = Number(env.USRSVCD_LOG_CHECK_MS);
  return { checkIntervalMs: Number.isFinite(value) && value > 0 ? value : 10_000 };
}

/**
 * Rotates programs' stdout/stderr past log_max_bytes, and usrsvcd's own log past
 * usrsvcd_max_bytes, on a timer of its own: each check costs one stat per log file of the programs
 * that set log_max_bytes, and nothing runs at all when none does. How each file is rotated is
 * decided by who holds it open (see @usrsvc/logs rotateLog); a file that cannot be rotated safely
 * is reported once, not on every check.
 */
export class LogRotator {
  private programs: ProgramConfig[] = [];
  private main: MainConfig | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly refusedWarned = new Set<string>();

  constructor(private readonly options: LogRotatorOptions) {}

  start(programs: Iterable<ProgramConfig>, main: MainConfig): void {
    this.update(programs, main);
  }

  /** A new configuration (reread): the timer runs only while something has a size limit. */
  update(programs: Iterable<ProgramConfig>, main: MainConfig): void {
    this.programs = [...programs].filter((program) => program.logMaxBytes > 0);
    this.main = main;
    const needed = this.programs.length > 0 || main.usrsvcdMaxBytes > 0;
    if (needed && !this.timer) {
      this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs);
      this.timer.unref();
    } else if (!needed) {
      this.stop();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** SIGHUP / `usrsvcd reopen-logs`: after an external logrotate renamed usrsvcd's files, write to new ones. */
  reopenOwnLogs(): void {
    try {
      this.options.log.reopen();
      this.options.log.info('usrsvcd', `Got SIGHUP: reopened the log files${this.options.log.files().length ? ` (${this.options.log.files().join(', ')})` : ''}.`, {
        event: 'logs-reopened',
      });
    } catch (error) {
      this.options.log.error('usrsvcd', `Got SIGHUP: cannot reopen the log files, still writing to the old ones: ${describe(error)}`, {
        event: 'log-reopen-failed',
      });
    }
  }

  /** One check of every file now; rotations that are due happen before it resolves. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      if (this.main && this.main.usrsvcdMaxBytes > 0) this.rotateOwn(this.main);
      for (const program of this.programs) {
        for (const file of new Set([program.stdout, program.stderr])) {
          const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
          if (size > program.logMaxBytes) await this.rotate(program, file);
        }
      }
    } finally {
      this.checking = false;
    }
  }

  private rotateOwn(main: MainConfig): void {
    try {
      for (const file of this.options.log.rotateOwnFiles(main.usrsvcdMaxBytes, main.usrsvcdBackups)) {
        this.options.log.info('usrsvcd', `rotated ${file} (usrsvcd_max_bytes ${main.usrsvcdMaxBytes})`, { event: 'log-rotated' });
      }
    } catch (error) {
      this.options.log.error('usrsvcd', `cannot rotate usrsvcd's log: ${describe(error)}`, { event: 'log-rotate-failed' });
    }
  }

  private async rotate(program: ProgramConfig, file: string): Promise<void> {
    const log = this.options.log.for(program.name);
    let result: RotateResult;
    try {
      result = await rotateLog(file, {
        backups: program.logBackups,
        compress: program.logCompress,
        ...(program.reopenSignal ? { reopen: () => this.sendReopenSignal(program) } : {}),
      });
    } catch (error) {
      log.error(`cannot rotate ${file}: ${describe(error)}`, { event: 'log-rotate-failed' });
      return;
    }
    if (result.method === 'refuse') {
      if (this.refusedWarned.has(file)) return;
      this.refusedWarned.add(file);
      const pids = [...new Set(result.writers.filter((w) => !w.append).map((w) => w.pid))].join(', ');
      log.warn(
        `${file} is over log_max_bytes but is not rotated: process ${pids} opened it itself without O_APPEND, so truncating it would fill it with NUL bytes. Set reopen_signal (e.g. HUP or USR1, whatever makes ${program.name} reopen its log files) to rotate it by rename.`,
        { event: 'log-rotate-refused' },
      );
      return;
    }
    this.refusedWarned.delete(file);
    const how = result.method === 'copy-truncate' ? `copy-truncate, loss window ${((result.lossWindowNs ?? 0) / 1000).toFixed(0)} µs` : result.method;
    log.info(`rotated ${file} (${result.bytes} bytes, ${how})${result.backup ? ` to ${result.backup}` : ''}`, { event: 'log-rotated' });
  }

  private async sendReopenSignal(program: ProgramConfig): Promise<void> {
    const running = await findRunningProgram(program, this.options.ctx);
    if (!running) {
      this.options.log.warn(program.name, `not running: ${program.reopenSignal} not sent after rotating its log`, { event: 'log-reopen-skipped' });
      return;
    }
    process.kill(running.pid, program.reopenSignal!);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
