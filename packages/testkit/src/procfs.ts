import fs from 'node:fs';

/** Reads what a user would check with ps: state and parent of a PID, straight from /proc. */
export function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** True when the PID exists and is not a zombie (a zombie is dead for every purpose here). */
export function isRunning(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** The PIDs from `pid` up to 1: used to check that a service's parent is init or a subreaper above us. */
export function ancestorsOf(pid: number): number[] {
  const chain: number[] = [];
  let current = procStat(pid)?.ppid;
  while (current !== undefined && current > 0) {
    chain.push(current);
    if (current === 1) break;
    current = procStat(current)?.ppid;
  }
  return chain;
}

/** True when `ppid` is init or one of this test process's own ancestors (a subreaper such as tini). */
export function isInitOrSubreaper(ppid: number): boolean {
  return ppid === 1 || ancestorsOf(process.pid).includes(ppid);
}

export function readPidfile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
