import { isDeadState, type ProcessInfo, readExecutable } from '@usrsvc/procscan';
import type { RunningProcess } from './ActionResult.js';

export function toRunningProcess(info: ProcessInfo, foundBy: RunningProcess['foundBy']): RunningProcess {
  const executable = readExecutable(info.pid);
  return {
    ...info,
    ...(executable === undefined ? {} : { executable }),
    identity: { pid: info.pid, startTicks: info.startTicks },
    foundBy,
  };
}

/** Alive (not a zombie), ours, and its title matches proctitle_re. */
export function isLiveMatch(info: ProcessInfo | undefined, re: RegExp, uid: number): info is ProcessInfo {
  return info !== undefined && info.uid === uid && !isDead(info) && searchMatches(re, info.cmdline);
}

export function isDead(info: ProcessInfo): boolean {
  return isDeadState(info.state);
}

/** re.search semantics, safe for regexes with the g or y flag. */
export function searchMatches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
}
