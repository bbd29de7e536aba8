import { isShellWrapper } from './isShellWrapper.js';
import { requiredSuffix } from './requiredSuffix.js';
import type { MatchOptions, ProcessInfo } from './types.js';

/** A snapshot of the process table with lookups by PID, by parent and by title. */
export class ProcessTable {
  readonly processes: readonly ProcessInfo[];
  private readonly byPid = new Map<number, ProcessInfo>();
  private readonly childrenByPpid = new Map<number, ProcessInfo[]>();
  /** Processes by the last SUFFIX_KEY characters of their cmdline, built at the first candidates() call. */
  private byTitleEnd: Map<string, ProcessInfo[]> | undefined;
  private byGroup: Map<number, ProcessInfo[]> | undefined;

  constructor(processes: readonly ProcessInfo[]) {
    this.processes = processes;
    for (const info of processes) {
      this.byPid.set(info.pid, info);
      const siblings = this.childrenByPpid.get(info.ppid);
      if (siblings) siblings.push(info);
      else this.childrenByPpid.set(info.ppid, [info]);
    }
  }

  get size(): number {
    return this.processes.length;
  }

  get(pid: number): ProcessInfo | undefined {
    return this.byPid.get(pid);
  }

  has(pid: number): boolean {
    return this.byPid.has(pid);
  }

  children(pid: number): ProcessInfo[] {
    return [...(this.childrenByPpid.get(pid) ?? [])];
  }

  /** Every process below `pid`, breadth-first. */
  descendants(pid: number): ProcessInfo[] {
    const found: ProcessInfo[] = [];
    const seen = new Set<number>([pid]);
    for (let queue = [pid], next: number[] = []; queue.length > 0; queue = next, next = []) {
      for (const parent of queue) {
        for (const child of this.childrenByPpid.get(parent) ?? []) {
          if (seen.has(child.pid)) continue; // pid 0 is its own parent in some tables
          seen.add(child.pid);
          found.push(child);
          next.push(child.pid);
        }
      }
    }
    return found;
  }

  /**
   * The processes that may match `re`, in table order: those whose cmdline ends with the text
   * every match of `re` ends with (see requiredSuffix), found by one lookup; every process when
   * `re` has no such text. The caller still tests each one. One program's scan then costs a few
   * tests instead of one per process, so scanning for N programs is not N x processes.
   */
  candidates(re: RegExp): readonly ProcessInfo[] {
    const suffix = suffixOf(re);
    if (suffix.length < SUFFIX_KEY) return this.processes;
    if (!this.byTitleEnd) {
      this.byTitleEnd = new Map();
      for (const info of this.processes) {
        if (info.cmdline.length < SUFFIX_KEY) continue;
        const key = info.cmdline.slice(-SUFFIX_KEY);
        const same = this.byTitleEnd.get(key);
        if (same) same.push(info);
        else this.byTitleEnd.set(key, [info]);
      }
    }
    return (this.byTitleEnd.get(suffix.slice(-SUFFIX_KEY)) ?? []).filter((info) => info.cmdline.endsWith(suffix));
  }

  /** The members of process group `pgid`, in table order. */
  inGroup(pgid: number): readonly ProcessInfo[] {
    if (!this.byGroup) {
      this.byGroup = new Map();
      for (const info of this.processes) {
        if (info.pgid === undefined) continue;
        const same = this.byGroup.get(info.pgid);
        if (same) same.push(info);
        else this.byGroup.set(info.pgid, [info]);
      }
    }
    return this.byGroup.get(pgid) ?? [];
  }

  /** Processes whose cmdline matches `re` (search semantics), in table order. */
  match(re: RegExp, options: MatchOptions = {}): ProcessInfo[] {
    const { skipShellWrappers = false, within } = options;
    let candidates: readonly ProcessInfo[] = within === undefined ? this.candidates(re) : this.processes;
    if (within !== undefined) {
      const self = this.byPid.get(within);
      candidates = self ? [self, ...this.descendants(within)] : this.descendants(within);
    }
    const searcher = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
    return candidates.filter(
      (info) => searcher.test(info.cmdline) && !(skipShellWrappers && isShellWrapper(info.argv)),
    );
  }
}

/** How many final characters of a title the candidates() index is keyed by. */
const SUFFIX_KEY = 4;

/** requiredSuffix per regex, computed once (a program's proctitle_re lives as long as its config). */
const suffixes = new WeakMap<RegExp, string>();

function suffixOf(re: RegExp): string {
  let suffix = suffixes.get(re);
  if (suffix === undefined) {
    suffix = requiredSuffix(re);
    suffixes.set(re, suffix);
  }
  return suffix;
}
