// What the benchmark reads from /proc about a process: start ticks (identity), CPU, memory, argv.
import fs from 'node:fs';

const read = (file) => {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
};

function statFields(pid) {
  const stat = read(`/proc/${pid}/stat`);
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** State, start ticks and CPU ticks (utime + stime) of a PID; undefined when it is gone. */
export function procStat(pid) {
  const fields = statFields(pid);
  if (!fields) return undefined;
  return { state: fields[0], ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]), startTicks: fields[19] };
}

export function isAlive(pid) {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Nanoseconds on a CPU, summed over every thread (/proc/PID/task/TID/schedstat): finer than ticks. */
export function cpuNanos(pid) {
  let total = 0;
  let tasks;
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const tid of tasks) total += Number(read(`/proc/${pid}/task/${tid}/schedstat`)?.split(' ')[0] ?? 0);
  return total;
}

/** The argv of a PID joined with single spaces ('' for a kernel thread or a vanished PID). */
export function cmdline(pid) {
  const raw = read(`/proc/${pid}/cmdline`);
  if (!raw) return '';
  return raw.endsWith('\0') ? raw.slice(0, -1).split('\0').join(' ') : raw.split('\0').join(' ');
}

/** RSS, RssAnon (kB, /proc/PID/status) and PSS (kB, /proc/PID/smaps_rollup). */
export function memory(pid) {
  const status = read(`/proc/${pid}/status`) ?? '';
  const kb = (text, key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rssKb: kb(status, 'VmRSS'), rssAnonKb: kb(status, 'RssAnon'), pssKb: kb(read(`/proc/${pid}/smaps_rollup`) ?? '', 'Pss') };
}

export function childPids(pid) {
  const out = [];
  let tasks;
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    for (const word of (read(`/proc/${pid}/task/${tid}/children`) ?? '').split(' ')) if (word) out.push(Number(word));
  }
  return out;
}

/** Every PID below `pid` (children first found, then theirs). */
export function descendants(pid) {
  const found = [];
  const queue = childPids(pid);
  while (queue.length > 0) {
    const next = queue.shift();
    found.push(next);
    queue.push(...childPids(next));
  }
  return found;
}

export function allPids() {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

/** The last PID the kernel handed out (5th field of /proc/loadavg). */
export function lastPid() {
  return Number(read('/proc/loadavg').trim().split(' ')[4]);
}

export const PID_MAX = Number(read('/proc/sys/kernel/pid_max') ?? 4194304);

export function clockTicksPerSecond() {
  return 100;
}

/** How many descriptors a PID holds open (/proc/PID/fd). */
export function openFds(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

/** The soft open-files limit of a PID (/proc/PID/limits). */
export function nofileLimit(pid) {
  const line = (read(`/proc/${pid}/limits`) ?? '').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s{2,}/)[1] ?? Number.NaN);
}
