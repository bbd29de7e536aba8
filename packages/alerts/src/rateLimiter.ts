import { SummaryBuilder } from './SummaryBuilder.js';
import { ROUTINE_ALERT_KINDS } from './kinds.js';
import type { AlertEvent, HeldBackSummary } from './types.js';

export { ROUTINE_ALERT_KINDS };

/** An alert ready to go out: the event, with what was held back before it. */
export interface ReleasedAlert {
  event: AlertEvent;
  heldBack?: HeldBackSummary;
}

interface ProgramState {
  lastSentAt: number;
  /** The newest held-back event: it becomes the mail's main event. */
  latest?: AlertEvent;
  /** The held-back events before `latest`. */
  earlier?: SummaryBuilder;
  timer?: NodeJS.Timeout;
}

/**
 * At most one failure alert per program per interval. The first failure (restarted,
 * monitor-restart, gave-up) goes out at once; later ones within the interval are held back, and
 * released together at the end of the interval (a timer per program with held-back events,
 * unref'd) as one alert: the newest event plus a summary of the rest. Routine notices (started,
 * recovered) go out at once and never open an interval; while failures are held back they join
 * them, so the order of events is kept.
 */
export class RateLimiter {
  private readonly programs = new Map<string, ProgramState>();

  constructor(
    private readonly intervalMs: number,
    private readonly release: (alert: ReleasedAlert) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the alert to send now, or undefined when the event was held back. */
  offer(event: AlertEvent): ReleasedAlert | undefined {
    if (this.intervalMs <= 0) return { event };
    const now = this.now();
    const state = this.programs.get(event.program);
    if (ROUTINE_ALERT_KINDS.has(event.kind) && state?.latest === undefined) return { event };
    if (state === undefined || (state.latest === undefined && now - state.lastSentAt >= this.intervalMs)) {
      this.programs.set(event.program, { lastSentAt: now });
      this.prune(now);
      return { event };
    }
    if (state.latest !== undefined) {
      state.earlier ??= new SummaryBuilder();
      state.earlier.add(state.latest);
    } else {
      const wait = Math.max(0, state.lastSentAt + this.intervalMs - now);
      state.timer = setTimeout(() => this.releaseHeldBack(event.program), wait);
      state.timer.unref();
    }
    state.latest = event;
    return undefined;
  }

  /** Events held back and not yet released, over all programs. */
  heldBackCount(): number {
    let count = 0;
    for (const state of this.programs.values()) {
      if (state.latest !== undefined) count += 1 + (state.earlier?.count ?? 0);
    }
    return count;
  }

  /** Stops every timer; held-back events are forgotten. Returns how many there were. */
  close(): number {
    const count = this.heldBackCount();
    for (const state of this.programs.values()) clearTimeout(state.timer);
    this.programs.clear();
    return count;
  }

  private releaseHeldBack(program: string): void {
    const state = this.programs.get(program);
    if (state?.latest === undefined) return;
    const alert: ReleasedAlert = { event: state.latest };
    if (state.earlier !== undefined) alert.heldBack = state.earlier.build();
    this.programs.set(program, { lastSentAt: this.now() });
    this.release(alert);
  }

  /** Forgets programs whose last mail is older than the interval and that hold nothing back. */
  private prune(now: number): void {
    if (this.programs.size < 64) return;
    for (const [program, state] of this.programs) {
      if (state.latest === undefined && now - state.lastSentAt >= this.intervalMs) this.programs.delete(program);
    }
  }
}
