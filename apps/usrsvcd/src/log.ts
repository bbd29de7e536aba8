import fs from 'node:fs';
import { ctime } from '@usrsvc/logline';
import { shiftBackups } from '@usrsvc/logs';

/** One log line as the original writes it, with the subject (usrsvcd or a program) in parentheses. */
export function formatLine(subject: string, message: string, date: Date = new Date()): string {
  return `[${ctime(date)}] - (${subject}) - ${message}\n`;
}

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';
export type LogFormat = 'text' | 'json';

/**
 * One event as one JSON object on one line (`usrsvcd_log_format = json`), for log shippers:
 * time (ISO 8601), level, program (the subject: a program's name, or usrsvcd), message, then the
 * structured fields given (event, pid, attempt, reason, exitCode, signal).
 */
export function formatJsonLine(level: LogLevel, subject: string, message: string, fields: LogFields = {}, date: Date = new Date()): string {
  const record: Record<string, unknown> = { time: date.toISOString(), level, program: subject, message };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) record[key] = value;
  return `${JSON.stringify(record)}\n`;
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
  private format: LogFormat;
  private targets: LogTargets = {};

  constructor(options: { debug?: boolean; format?: LogFormat } = {}) {
    this.debugEnabled = options.debug ?? false;
    this.format = options.format ?? 'text';
  }

  setFormat(format: LogFormat): void {
    this.format = format;
  }

  /** The files written to (stdout/stderr of the process when unset). */
  files(): string[] {
    return [...new Set([this.targets.stdout, this.targets.stderr].filter((f): f is string => f !== undefined))];
  }

  /** Opens the same paths again (SIGHUP, `usrsvcd reopen-logs`): after an external rotation, writes go to the new files. */
  reopen(): void {
    this.redirect(this.targets);
  }

  /**
   * Rotates usrsvcd's own files past maxBytes: FILE becomes FILE.1 (older ones shifted, at most
   * `backups` kept) and a new FILE is opened. Every line is written synchronously by this process,
   * so a rename then reopen loses none. Returns the files rotated.
   */
  rotateOwnFiles(maxBytes: number, backups: number): string[] {
    if (maxBytes <= 0) return [];
    const rotated = this.files().filter((file) => (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) > maxBytes);
    for (const file of rotated) {
      shiftBackups(file, backups);
      if (backups > 0) fs.renameSync(file, `${file}.1`);
      else fs.rmSync(file, { force: true });
    }
    if (rotated.length > 0) this.reopen();
    return rotated;
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
    this.targets = { stdout: targets.stdout, stderr: targets.stderr };
    for (const fd of old) if (fd > 2 && fd !== outFd && fd !== errFd) fs.closeSync(fd);
  }

  setDebug(enabled: boolean): void {
    this.debugEnabled = enabled;
  }

  info(subject: string, message: string, fields?: LogFields): void {
    this.write(this.outFd, this.line('info', subject, message, fields));
  }

  warn(subject: string, message: string, fields?: LogFields): void {
    this.write(this.errFd, this.line('warning', subject, message, fields));
  }

  error(subject: string, message: string, fields?: LogFields): void {
    this.write(this.errFd, this.line('error', subject, message, fields));
  }

  debug(subject: string, message: string, fields?: LogFields): void {
    if (this.debugEnabled) this.write(this.outFd, this.line('debug', subject, message, fields));
  }

  private line(level: LogLevel, subject: string, message: string, fields: LogFields | undefined): string {
    if (this.format === 'json') return formatJsonLine(level, subject, message, fields);
    const prefix = level === 'info' ? '' : `${level.toUpperCase()}: `;
    return formatLine(subject, `${prefix}${message}`);
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
