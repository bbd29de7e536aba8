import { isBracketedName, parseLstart, startTicksFromEpochMs } from './psFields.js';
import type { ProcessInfo } from './types.js';

const LSTART = /^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\w{3}\s+\w{3}\s+\d{1,2}\s+[\d:]{8}\s+\d{4})\s?(.*)$/;

/**
 * One process through `ps -p` (synchronous), for systems without /proc. Same units as the
 * ps-list backend: startTicks are whole seconds since the epoch.
 */
export function readProcessWithPs(pid: number): ProcessInfo | undefined {
  const fields = runPs(pid, 'pid=,ppid=,uid=,rss=,state=,lstart=,comm=');
  const parsed = fields === undefined ? null : LSTART.exec(fields.trim());
  if (!parsed) return undefined;
  const [, , ppid, uid, rss, state, lstart, name = ''] = parsed;
  const startTime = parseLstart(lstart ?? '') ?? Number.NaN;
  const args = (runPs(pid, 'args=') ?? '').trim();
  const argvLess = args === '' || isBracketedName(args, name) || args.endsWith(' <defunct>');
  return {
    pid,
    ppid: Number(ppid),
    uid: Number(uid),
    argv: argvLess ? [] : [args],
    cmdline: argvLess ? '' : args,
    name,
    state: (state ?? '?').charAt(0),
    startTicks: startTicksFromEpochMs(startTime),
    startTime,
    rssKb: Number(rss),
  };
}

function runPs(pid: number, format: string): string | undefined {
  try {
    return process.getBuiltinModule('node:child_process').execFileSync('ps', ['-o', format, '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
  } catch {
    return undefined; // ps exits 1 when the PID does not exist
  }
}
