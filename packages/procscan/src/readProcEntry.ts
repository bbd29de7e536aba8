import fs from 'node:fs';
import { bootTime } from './bootTime.js';
import { clockTicksPerSecond, pageSize } from './clockTicks.js';
import { parseCmdline } from './parseCmdline.js';
import { type ProcStat, parseProcStat } from './parseProcStat.js';
import { readProcFile } from './readProcFile.js';
import type { ProcessInfo } from './types.js';

/**
 * Reads one /proc/<pid> entry, or undefined when the process is gone (it may exit between any
 * two reads) or unreadable. With `onlyUid`, entries of other users are skipped after one stat().
 * With `exactRss`, resident memory is read from statm (equal to VmRSS, ~7 µs more per process);
 * without it, from stat's field 24, the kernel's fast per-CPU-batched counter.
 */
export function readProcEntry(pid: number, onlyUid: number | undefined, exactRss: boolean): ProcessInfo | undefined {
  const dir = `/proc/${pid}`;
  try {
    const uid = fs.statSync(dir).uid;
    if (onlyUid !== undefined && uid !== onlyUid) return undefined;
    const stat = parseProcStat(readProcFile(`${dir}/stat`).toString('utf8'));
    if (stat === undefined) return undefined;
    const rssPages = exactRss ? residentPages(readProcFile(`${dir}/statm`)) : undefined;
    // Last: what readProcFile returns is overwritten by its next read.
    const cmdline = readProcFile(`${dir}/cmdline`);
    return processInfoOf(pid, uid, stat, cmdline, rssPages);
  } catch {
    return undefined;
  }
}

/**
 * One process from its parsed stat, the bytes of its cmdline and, for exact resident memory, the
 * pages statm counts (residentPages). Every reader of /proc builds its entries here.
 */
export function processInfoOf(pid: number, uid: number, stat: ProcStat, cmdline: Buffer, statmPages: number | undefined): ProcessInfo {
  const argv = parseCmdline(cmdline);
  const rssPages = statmPages ?? stat.rssPages;
  return {
    pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    sid: stat.sid,
    uid,
    argv,
    cmdline: argv.join(' '),
    name: stat.name,
    state: stat.state,
    startTicks: stat.startTicks,
    startTime: startTimeOf(stat.startTicks),
    rssKb: (rssPages * pageSize()) / 1024,
  };
}

/**
 * The second field of /proc/<pid>/statm, which sums the per-CPU counters as VmRSS does. Field 24
 * of stat reads only the global part: up to (CPUs x max(32, 2 x CPUs)) pages below VmRSS.
 */
export function residentPages(statm: Buffer): number {
  const start = statm.indexOf(32) + 1;
  const end = statm.indexOf(32, start);
  const pages = Number(statm.toString('latin1', start, end < 0 ? statm.length : end));
  return Number.isFinite(pages) ? pages : 0;
}

/** ms since the epoch at which a process with this /proc start tick count started. */
function startTimeOf(startTicks: number): number {
  return bootTime() + (startTicks * 1000) / clockTicksPerSecond();
}
