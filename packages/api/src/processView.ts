import type { ProcessView } from './types.js';

/** What a launcher RunningProcess holds that the API reports (structurally, so this package needs no launcher). */
export interface RunningProcessLike {
  pid: number;
  cmdline: string;
  argv: readonly string[];
  executable?: string;
  /** ms since the epoch. */
  startTime: number;
  rssKb: number;
  foundBy: ProcessView['foundBy'];
}

/** A running process as the API reports it (never its environment); `rssKb` may be a fresher reading. */
export function processView(process: RunningProcessLike, now = Date.now(), rssKb = process.rssKb): ProcessView {
  return {
    pid: process.pid,
    cmdline: process.cmdline,
    argv: [...process.argv],
    ...(process.executable ? { executable: process.executable } : {}),
    startTime: new Date(process.startTime).toISOString(),
    uptimeSeconds: Math.max(0, Math.round((now - process.startTime) / 1000)),
    rssKb,
    foundBy: process.foundBy,
  };
}
