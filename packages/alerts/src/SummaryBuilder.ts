import type { AlertEvent, AlertKind, HeldBackSummary } from './types.js';

/** Distinct reasons kept in a summary; the rest are only counted. */
export const MAX_REASONS = 10;

/** Sums up held-back events in bounded memory: counts by kind and by reason. */
export class SummaryBuilder {
  count = 0;
  private readonly byKind: Partial<Record<AlertKind, number>> = {};
  private readonly reasons = new Map<string, number>();
  private otherReasons = 0;
  private first?: Date;
  private last?: Date;

  add(event: AlertEvent): void {
    this.count += 1;
    this.byKind[event.kind] = (this.byKind[event.kind] ?? 0) + 1;
    const known = this.reasons.get(event.reason);
    if (known !== undefined) this.reasons.set(event.reason, known + 1);
    else if (this.reasons.size < MAX_REASONS) this.reasons.set(event.reason, 1);
    else this.otherReasons += 1;
    if (this.first === undefined || event.time < this.first) this.first = event.time;
    if (this.last === undefined || event.time > this.last) this.last = event.time;
  }

  build(): HeldBackSummary {
    return {
      count: this.count,
      byKind: { ...this.byKind },
      reasons: [...this.reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      otherReasons: this.otherReasons,
      first: this.first ?? new Date(0),
      last: this.last ?? new Date(0),
    };
  }
}
