import os from 'node:os';
import psList from 'ps-list';
import { ProcessTable } from './ProcessTable.js';
import { isBracketedName, startTicksFromEpochMs } from './psFields.js';
import type { ProcessInfo } from './types.js';

/** A snapshot through ps-list (which runs `ps`): for systems without /proc. See psBackendLimitations. */
export async function snapshotWithPsList(uid?: number): Promise<ProcessTable> {
  const totalKb = os.totalmem() / 1024;
  const processes: ProcessInfo[] = [];
  for (const descriptor of await psList({ all: true })) {
    if (uid !== undefined && descriptor.uid !== uid) continue;
    const cmd = descriptor.cmd ?? '';
    const defunct = cmd.endsWith(' <defunct>');
    const argvLess = cmd === '' || isBracketedName(cmd, descriptor.name) || defunct;
    const startTime = descriptor.startTime?.getTime() ?? Number.NaN;
    processes.push({
      pid: descriptor.pid,
      ppid: descriptor.ppid,
      uid: descriptor.uid ?? -1,
      argv: argvLess ? [] : [cmd],
      cmdline: argvLess ? '' : cmd,
      name: descriptor.name,
      state: defunct ? 'Z' : '?',
      startTicks: startTicksFromEpochMs(startTime),
      startTime,
      rssKb: Math.round(((descriptor.memory ?? 0) * totalKb) / 100),
    });
  }
  return new ProcessTable(processes);
}
