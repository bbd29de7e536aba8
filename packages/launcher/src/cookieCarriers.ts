import type { ProcessInfo, ProcessTable } from '@usrsvc/procscan';
import { type LaunchCookie, readLaunchCookie } from './launchCookie.js';
import { mayBelong } from './programTree.js';

/** A process and the cookie it carries. */
export interface CookieCarrier {
  info: ProcessInfo;
  launch: string;
}

/** A tick of slack: start times are precise to 10 ms. */
const START_SLACK_MS = 20;

/**
 * Every process of `table` that may belong to us, started since `sinceMs` (no process started
 * before the program's oldest live launch can carry its cookie), and carries the cookie of program
 * `name`. /proc/PID/environ is read again only for a new process or argv (below). Callers re-check
 * identities before any signal.
 */
export function cookieCarriers(table: ProcessTable, name: string, uid: number, sinceMs = 0): CookieCarrier[] {
  const carriers: CookieCarrier[] = [];
  for (const info of table.processes) {
    if (info.startTime < sinceMs - START_SLACK_MS || !mayBelong(info, uid)) continue;
    const cookie = cookieOf(info, table);
    if (cookie?.program === name) carriers.push({ info, launch: cookie.launch });
  }
  return carriers;
}

interface Known {
  startTicks: number;
  cmdline: string;
  cookie: LaunchCookie | undefined;
}

/**
 * The cookie each process carried when last read, kept while it is the same process with the same
 * argv, so a long-lived usrsvcd reads an environ once and not once per snapshot: at 1000 programs
 * every restart's leftover search read 1000 environs (~25 ms in which the event loop could not
 * take an exit). A new argv means an exec (a new environment, or one overwritten by the title,
 * as setproctitle does): the environ is read again.
 */
const known = new Map<number, Known>();
const prunedWith = new WeakSet<ProcessTable>();

function cookieOf(info: ProcessInfo, table: ProcessTable): LaunchCookie | undefined {
  if (!prunedWith.has(table)) forgetGone(table);
  const seen = known.get(info.pid);
  if (seen && seen.startTicks === info.startTicks && seen.cmdline === info.cmdline) return seen.cookie;
  const cookie = readLaunchCookie(info.pid);
  known.set(info.pid, { startTicks: info.startTicks, cmdline: info.cmdline, cookie });
  return cookie;
}

/** Drops what `table` shows gone: the memo holds no more than the processes that live. */
function forgetGone(table: ProcessTable): void {
  prunedWith.add(table);
  for (const [pid, seen] of known) if (table.get(pid)?.startTicks !== seen.startTicks) known.delete(pid);
}
