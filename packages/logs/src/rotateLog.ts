import fs from 'node:fs';
import { backupName, compressFile, shiftBackups } from './backups.js';
import { chooseRotation, type RotationMethod } from './chooseRotation.js';
import { copyTruncate } from './copyTruncate.js';
import { type FileWriter, findFileWriters } from './fileWriters.js';

export interface RotateOptions {
  /** How many backups to keep (`file.1` newest); 0 keeps none. */
  backups: number;
  /** Gzip backups to `file.N.gz`. */
  compress?: boolean;
  /**
   * Makes the writers reopen the file (sends `reopen_signal`); its absence means the program has
   * no such signal. Called after the rename with the writers found.
   */
  reopen?: (writers: FileWriter[]) => Promise<void> | void;
  /** The processes to look at for writers (default: all of ours in /proc). */
  pids?: Iterable<number>;
  /** How long a signalled writer may keep the backup open before compression is left for later (default 5000 ms). */
  reopenTimeoutMs?: number;
}

export interface RotateResult {
  file: string;
  method: RotationMethod;
  writers: FileWriter[];
  /** Bytes moved to the backup (0 when refused). */
  bytes: number;
  /** The new `file.1` (or `file.1.gz`); undefined when refused or keeping no backups. */
  backup?: string;
  /** copy-truncate only: see CopyTruncateResult.lossWindowNs. */
  lossWindowNs?: number;
  /** rename-and-signal: the writers still had the old file open when we stopped waiting: not compressed yet. */
  stillOpen?: boolean;
}

/**
 * Rotates one log file the way that is safe for whoever writes it (see chooseRotation). Throws
 * the file system's errors; a refusal is a result, not an error.
 */
export async function rotateLog(file: string, options: RotateOptions): Promise<RotateResult> {
  const writers = findFileWriters(file, options.pids === undefined ? {} : { pids: options.pids });
  const method = chooseRotation(writers, options.reopen !== undefined);
  const result: RotateResult = { file, method, writers, bytes: 0 };
  if (method === 'refuse') return result;
  const size = fs.statSync(file).size;
  shiftBackups(file, options.backups);
  const first = backupName(file, 1);
  if (method === 'copy-truncate') {
    if (options.backups === 0) {
      fs.truncateSync(file, 0);
      return { ...result, bytes: size };
    }
    const copied = copyTruncate(file, first);
    Object.assign(result, { bytes: copied.bytes, lossWindowNs: copied.lossWindowNs, backup: first });
  } else {
    fs.renameSync(file, first);
    Object.assign(result, { bytes: size, backup: first });
    if (method === 'rename-and-signal') {
      await options.reopen!(writers);
      result.stillOpen = !(await waitUntilClosed(first, writers, options.reopenTimeoutMs ?? 5000));
    }
    if (options.backups === 0 && !result.stillOpen) {
      fs.rmSync(first, { force: true });
      delete result.backup;
      return result;
    }
  }
  if (options.compress && !result.stillOpen) result.backup = await compressFile(first);
  return result;
}

/** Polls /proc until none of `writers` holds `file` any more (they reopened), or the timeout. */
async function waitUntilClosed(file: string, writers: FileWriter[], timeoutMs: number): Promise<boolean> {
  const pids = [...new Set(writers.map((w) => w.pid))];
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    if (findFileWriters(file, { pids }).length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
