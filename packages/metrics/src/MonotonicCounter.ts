import type { Counter } from 'prom-client';

/**
 * Feeds a prom-client Counter from totals kept elsewhere (usrsvcd's restart and alert counts), so
 * the exposed value never goes down: each update adds what the total grew by. A total that went
 * down (its owner started counting again, e.g. a program removed and added back) adds its new value.
 */
export class MonotonicCounter<L extends string> {
  private readonly seen = new Map<string, number>();

  constructor(private readonly counter: Counter<L>) {}

  /** Returns true when the exposed value or the set of series changed. */
  observe(labels: Record<L, string>, total: number): boolean {
    const key = JSON.stringify(labels);
    const last = this.seen.get(key);
    if (last === total) return false;
    const delta = last === undefined || total < last ? total : total - last;
    this.seen.set(key, total);
    // inc(labels, 0) creates the series, so a counter at 0 is exposed (rate() needs its first sample).
    this.counter.inc(labels, Math.max(0, delta));
    return true;
  }

  /** Drops every series whose labels `keep` rejects (programs no longer configured); true when any was dropped. */
  retain(keep: (labels: Record<L, string>) => boolean): boolean {
    let dropped = false;
    for (const key of [...this.seen.keys()]) {
      const labels = JSON.parse(key) as Record<L, string>;
      if (keep(labels)) continue;
      this.seen.delete(key);
      this.counter.remove(labels);
      dropped = true;
    }
    return dropped;
  }
}
