import { isShellWrapper } from './isShellWrapper.js';
import type { MatchOptions, ProcessInfo } from './types.js';

/** A snapshot of the process table with lookups by PID, by parent and by title. */
export class ProcessTable {
  readonly processes: readonly ProcessInfo[];
  private readonly byPid = new Map<number, ProcessInfo>();
  private readonly childrenByPpid = new Map<number, ProcessInfo[]>();

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

  /** Processes whose cmdline matches `re` (search semantics), in table order. */
  match(re: RegExp, options: MatchOptions = {}): ProcessInfo[] {
    const { skipShellWrappers = false, within } = options;
    let candidates: readonly ProcessInfo[] = this.processes;
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
