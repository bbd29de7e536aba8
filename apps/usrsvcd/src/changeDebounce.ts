/** How changes are grouped into one restart. */
export interface DebounceTiming {
  /** A restart waits until no change came for this long. */
  quietMs: number;
  /** And comes at least this long after the previous one (restart_delay). */
  minIntervalMs: number;
}

/**
 * Groups a burst of changes (an editor's temp file and rename, a git checkout of many files) into
 * one call of `fire`, with the first path changed and how many other paths changed with it.
 */
export class ChangeDebounce {
  private readonly paths = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastFiredAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly timing: DebounceTiming,
    private readonly fire: (first: string, more: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  add(file: string): void {
    this.paths.add(file);
    clearTimeout(this.timer);
    const now = this.now();
    const at = Math.max(now + this.timing.quietMs, this.lastFiredAt + this.timing.minIntervalMs);
    this.timer = setTimeout(() => this.flush(), at - now);
    this.timer.unref();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.paths.clear();
  }

  private flush(): void {
    this.timer = undefined;
    const [first, ...others] = this.paths;
    this.paths.clear();
    if (first === undefined) return;
    this.lastFiredAt = this.now();
    this.fire(first, others.length);
  }
}
