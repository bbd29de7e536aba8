import fs from 'node:fs';

/** A process holding the file open, as /proc shows it. */
export interface FileWriter {
  pid: number;
  fd: number;
  /** The open flags from /proc/PID/fdinfo/FD (octal there). */
  flags: number;
  /** Opened with O_APPEND: every write lands at the end, whatever the file's size became. */
  append: boolean;
  /** Opened for writing (O_WRONLY or O_RDWR). */
  writable: boolean;
}

export const O_APPEND = 0o2000;
const O_ACCMODE = 0o3;

export interface FindWritersOptions {
  /** Look only at these processes (default: every process in /proc that we may inspect). */
  pids?: Iterable<number>;
  /** Report readers too (default: only descriptors opened for writing). */
  includeReaders?: boolean;
}

/**
 * The processes that have `file` open, found through /proc/PID/fd (by device and inode, so a
 * renamed file is still recognised) and /proc/PID/fdinfo (flags). Processes of other users are
 * skipped: their /proc/PID/fd cannot be read.
 */
export function findFileWriters(file: string, options: FindWritersOptions = {}): FileWriter[] {
  const target = fs.statSync(file, { throwIfNoEntry: false });
  if (!target) return [];
  const writers: FileWriter[] = [];
  for (const pid of options.pids ?? listPids()) {
    if (pid === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const name of fds) {
      const fdStat = statOrUndefined(`/proc/${pid}/fd/${name}`);
      if (!fdStat || fdStat.ino !== target.ino || fdStat.dev !== target.dev) continue;
      const flags = readFlags(pid, name);
      if (flags === undefined) continue;
      const writable = (flags & O_ACCMODE) !== 0;
      if (!writable && !options.includeReaders) continue;
      writers.push({ pid, fd: Number(name), flags, append: (flags & O_APPEND) !== 0, writable });
    }
  }
  return writers;
}

function statOrUndefined(link: string): fs.Stats | undefined {
  try {
    return fs.statSync(link);
  } catch {
    return undefined; // closed meanwhile, or not ours to look at
  }
}

function listPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function readFlags(pid: number, fd: string): number | undefined {
  try {
    const match = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
    return match ? Number.parseInt(match[1]!, 8) : undefined;
  } catch {
    return undefined;
  }
}
