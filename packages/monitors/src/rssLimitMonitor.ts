import { builtinMonitoringKeys as builtinKeys } from '@usrsvc/config';
import { readProcess } from '@usrsvc/procscan';
import type { Monitor, MonitorPlugin } from './MonitorPlugin.js';

export interface RssLimitMonitorOptions {
  /** kB of resident memory (VmRSS) above which the program is restarted; 0 or less = off. */
  limitKb: number;
}

/**
 * Restarts a program whose main process's resident set size exceeds `limitKb` (the original's
 * `rss_limit`). What is measured: VmRSS of the one process, in kB, read fresh from /proc/<pid>/statm at
 * each check (procscan's `readProcess(pid).rssKb`) — the same number the original read
 * (`/proc/<pid>/statm` resident pages x page size). It includes shared pages mapped by the process
 * (libraries, shared memory it has touched), although the original README calls it "private"
 * memory; children are not counted. Restart when rssKb > limitKb. A process that is gone or is no
 * longer the checked one (PID reused) answers "fine": noticing its exit is not a monitor's job.
 */
export function createRssLimitMonitor(options: RssLimitMonitorOptions): Monitor {
  const { limitKb } = options;
  return {
    name: 'rss',
    check({ process }) {
      if (!(limitKb > 0)) return { restart: false };
      const current = readProcess(process.pid);
      if (current === undefined || current.startTicks !== process.startTicks) return { restart: false };
      if (current.rssKb > limitKb) {
        return { restart: true, reason: `RSS ${current.rssKb} kB of pid ${process.pid} exceeds rss_limit of ${limitKb} kB` };
      }
      return { restart: false };
    },
  };
}

/** The built-in `rss` monitor: key `rss_limit` of [[Monitoring]] (kB; 0 = off). */
export const rssLimitMonitorPlugin: MonitorPlugin = {
  name: 'rss',
  keys: { rss_limit: builtinKeys.rss_limit! },
  create(program) {
    const limitKb = Number(program.monitoring.rss_limit ?? 0);
    return limitKb > 0 ? createRssLimitMonitor({ limitKb }) : undefined;
  },
};
