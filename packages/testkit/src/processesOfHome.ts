import fs from 'node:fs';

export interface HomeProcess {
  pid: number;
  /** Field 22 of /proc/PID/stat: with the PID, the process's identity. */
  startTicks: string;
}

/**
 * Every live process of this user whose environment has `HOME=<dir>` or whose command line names a
 * path below `dir`: what a test started there, directly or through usrsvc and usrsvcd, including
 * what a daemon launched after the test last looked. The test's own process is never listed.
 */
export function processesOfHome(dir: string): HomeProcess[] {
  const home = Buffer.from(`HOME=${dir}\0`);
  const found: HomeProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      const ours = environ.indexOf(home) === 0 || environ.includes(Buffer.concat([Buffer.from('\0'), home]));
      if (ours || fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${dir}/`)) {
        found.push({ pid: Number(entry), startTicks: fields[19]! });
      }
    } catch {
      // gone meanwhile, or another user's
    }
  }
  return found;
}

/** SIGKILLs each of processesOfHome(dir) that is still the same process (PID and start time). */
export function killProcessesOfHome(dir: string): number[] {
  const killed: number[] = [];
  for (const { pid, startTicks } of processesOfHome(dir)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] !== startTicks) continue;
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
