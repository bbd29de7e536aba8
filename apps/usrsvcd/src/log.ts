import fs from 'node:fs';
import { ctime } from '@usrsvc/logline';

/** One log line as the original writes it, with the subject (usrsvcd or a program) in parentheses. */
export function formatLine(subject: string, message: string, date: Date = new Date()): string {
  return `[${ctime(date)}] - (${subject}) - ${message}\n`;
}

/**
 * Structured facts about a logged event, for the JSON log format (`usrsvcd_log_format = json`).
 * The text format prints only the message, as the original does.
 */
export interface LogFields {
  /** A short machine name for what happened: started, exited, restarting, gave-up, user-stop... */
  event?: string;
  pid?: number;
  attempt?: number;
  reason?: string;
  exitCode?: number;
  signal?: string;
}

/** The Logger interface every @usrsvc package declares; the daemon's also takes LogFields. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LogTargets {
  /** Absolute path for info lines; undefined means the process's stdout. */
  stdout?: string | undefined;
  /** Absolute path for warnings and errors; undefined means the process's stderr. */
  stderr?: string | undefined;
}

/**
 * Writes each event as one line, synchronously (a daemon's log must survive a crash right after
 * the event). Info goes to stdout, warnings and errors to stderr, as in the original.
 */
export class DaemonLog {
  private outFd = 1;
  private errFd = 2;
  private debugEnabled: boolean;

  constructor(options: { debug?: boolean } = {}) {
    this.debugEnabled = options.debug ?? false;
  }

  /** Redirects to files (opened for append); on failure keeps the previous targets and throws. */
  redirect(targets: LogTargets): void {
    const outFd = targets.stdout ? fs.openSync(targets.stdout, 'a') : 1;
    let errFd = outFd;
    try {
      if (targets.stderr && targets.stderr !== targets.stdout) errFd = fs.openSync(targets.stderr, 'a');
      else if (!targets.stderr) errFd = 2;
    } catch (error) {
      if (outFd > 2) fs.closeSync(outFd);
      throw error;
    }
    const old = new Set([this.outFd, this.errFd]);
    this.outFd = outFd;
    this.errFd = errFd;
    for (const fd of old) if (fd > 2 && fd !== outFd && fd !== errFd) fs.closeSync(fd);
  }

  setDebug(enabled: boolean): void {
    this.debugEnabled = enabled;
  }

  info(subject: string, message: string, _fields?: LogFields): void {
    this.write(this.outFd, formatLine(subject, message));
  }

  warn(subject: string, message: string, _fields?: LogFields): void {
    this.write(this.errFd, formatLine(subject, `WARNING: ${message}`));
  }

  error(subject: string, message: string, _fields?: LogFields): void {
    this.write(this.errFd, formatLine(subject, `ERROR: ${message}`));
  }

  debug(subject: string, message: string, _fields?: LogFields): void {
    if (this.debugEnabled) this.write(this.outFd, formatLine(subject, `DEBUG: ${message}`));
  }

  /** A package-style Logger whose lines carry `subject`. */
  for(subject: string): Logger {
    return {
      debug: (m, f) => this.debug(subject, m, f),
      info: (m, f) => this.info(subject, m, f),
      warn: (m, f) => this.warn(subject, m, f),
      error: (m, f) => this.error(subject, m, f),
    };
  }

  private write(fd: number, line: string): void {
    try {
      if (fd === 1) process.stdout.write(line);
      else if (fd === 2) process.stderr.write(line);
      else fs.writeSync(fd, line);
    } catch {
      // A log target that went away (disk full, deleted fd) must not take the daemon down.
    }
  }
}
