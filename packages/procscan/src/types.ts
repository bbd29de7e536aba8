/** One process as the kernel describes it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group ID; undefined from the ps backends (they do not report it). */
  pgid?: number;
  /** Session ID; undefined from the ps backends. */
  sid?: number;
  /** Owner of /proc/<pid> (the effective uid; root for non-dumpable processes). */
  uid: number;
  /** Exact argv; [] for kernel threads and zombies; one string when the program rewrote its title. */
  argv: string[];
  /** argv joined by single spaces: what proctitle_re matches. */
  cmdline: string;
  /** comm, from /proc/<pid>/stat (may hold spaces and parentheses). */
  name: string;
  /** R, S, D, Z, T, t, X, I, ... */
  state: string;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot. */
  startTicks: number;
  /** Milliseconds since the epoch, precise to the clock tick. */
  startTime: number;
  /**
   * Resident memory in kB. Exactly VmRSS from readProcess() and from snapshots taken with
   * `exactRss`; otherwise the kernel's fast counter, which may lag VmRSS by a few hundred kB.
   */
  rssKb: number;
}

/** A PID plus its start time: a reused PID is a different identity. */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
}

export type SnapshotBackend = 'proc' | 'ps-list';

export interface SnapshotOptions {
  /** Only this user's processes. */
  uid?: number;
  /** Default: 'proc' where /proc exists, else 'ps-list'. */
  backend?: SnapshotBackend;
  /** Read rssKb exactly (= VmRSS) from /proc/<pid>/statm: about a third more time per process. */
  exactRss?: boolean;
  /** The proc backend reads /proc through this instead of on the event loop. */
  readProc?: PackedProcReader;
}

/**
 * Reads the stat, cmdline and (with exactRss) statm of every /proc/<pid> (of `uid`'s only, when
 * given) somewhere other than the event loop, and packs them as packedProcEntries reads them:
 * per process, five little-endian u32 (pid, owner uid, then the three files' lengths, statm's 0
 * when not read) followed by the files' bytes. A process gone while it was read is left out.
 */
export type PackedProcReader = (uid: number | undefined, exactRss: boolean) => Promise<Buffer>;

export interface SnapshotSyncOptions {
  uid?: number;
  exactRss?: boolean;
}

export interface MatchOptions {
  /** Skip `sh -c ...` wrapper shells, as the original usrsvc does. */
  skipShellWrappers?: boolean;
  /** Only this PID and its descendants. */
  within?: number;
}
