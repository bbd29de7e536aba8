import fs from 'node:fs/promises';
import path from 'node:path';
import { builtinMonitoringKeys as builtinKeys } from '@usrsvc/config';
import type { Monitor, MonitorPlugin, MonitorVerdict } from './MonitorPlugin.js';

export interface ActivityFileMonitorOptions {
  /** Absolute path of the file or folder that must be modified. */
  file: string;
  /** Seconds that may pass between modifications. */
  limitSeconds: number;
}

/** The latest modification seen: of the file, or of a folder or any entry directly in it. */
interface Activity {
  mtimeMs: number;
  /** What was modified last (the file, the folder, or an entry in the folder). */
  path: string;
}

/**
 * Restarts a program that has not modified `file` for more than `limitSeconds` (the original's
 * `activityfile` / `activityfile_limit`). A missing file counts as stale. For a folder, activity is
 * the newest modification time of the folder itself (entries created, removed, renamed) and of the
 * entries directly in it (a file inside written to); the original looked at the folder's own
 * mtime only. Only asynchronous fs calls are used (libuv's thread pool), so a stat that hangs on a
 * dead network mount blocks one pool thread, never the daemon; and while one scan is still pending,
 * later checks wait for it rather than starting another, so hung stats do not pile up.
 * Errors other than "missing" (permission denied, ...) reject the check: an 'error' outcome, no restart.
 */
export function createActivityFileMonitor(options: ActivityFileMonitorOptions): Monitor {
  const { file, limitSeconds } = options;
  let pending: Promise<Activity | undefined> | undefined;
  return {
    name: 'activityfile',
    async check({ now, signal }): Promise<MonitorVerdict> {
      pending ??= latestActivity(file, now - limitSeconds * 1000, signal).finally(() => {
        pending = undefined;
      });
      const activity = await pending;
      if (activity === undefined) return { restart: true, reason: `activity file ${file} does not exist` };
      const ageMs = now - activity.mtimeMs;
      if (ageMs <= limitSeconds * 1000) return { restart: false };
      const where = activity.path === file ? '' : ` (newest entry ${path.basename(activity.path)})`;
      return {
        restart: true,
        reason: `activity file ${file} not modified for ${(ageMs / 1000).toFixed(1)} s${where}; activityfile_limit is ${limitSeconds} s`,
      };
    },
  };
}

/** undefined when `file` does not exist. Stops early once something newer than `freshAfterMs` is seen. */
async function latestActivity(file: string, freshAfterMs: number, signal: AbortSignal): Promise<Activity | undefined> {
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  let latest: Activity = { mtimeMs: stat.mtimeMs, path: file };
  if (!stat.isDirectory() || latest.mtimeMs > freshAfterMs) return latest;

  let entries: string[];
  try {
    entries = await fs.readdir(file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  for (const entry of entries) {
    if (signal.aborted) throw signal.reason; // a partial scan must not be taken for staleness
    const entryPath = path.join(file, entry);
    try {
      const entryStat = await fs.lstat(entryPath);
      if (entryStat.mtimeMs > latest.mtimeMs) latest = { mtimeMs: entryStat.mtimeMs, path: entryPath };
    } catch (error) {
      if (!isMissing(error)) throw error; // removed since readdir: ignore
    }
    if (latest.mtimeMs > freshAfterMs) break;
  }
  return latest;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

const DEFAULT_LIMIT_SECONDS = 120;

/** The built-in `activityfile` monitor: keys `activityfile` and `activityfile_limit` of [[Monitoring]]. */
export const activityFileMonitorPlugin: MonitorPlugin = {
  name: 'activityfile',
  keys: { activityfile: builtinKeys.activityfile!, activityfile_limit: builtinKeys.activityfile_limit! },
  create(program) {
    const file = program.monitoring.activityfile;
    if (typeof file !== 'string' || file === '') return undefined;
    const limit = Number(program.monitoring.activityfile_limit ?? builtinKeys.activityfile_limit?.default ?? DEFAULT_LIMIT_SECONDS);
    return createActivityFileMonitor({ file, limitSeconds: Number.isFinite(limit) ? limit : DEFAULT_LIMIT_SECONDS });
  },
};
