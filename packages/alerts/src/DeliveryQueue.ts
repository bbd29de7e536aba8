import { AlertQueue } from './AlertQueue.js';

/**
 * A bounded FIFO with one worker that hands items to `process` in order, one at a time. Owns the
 * waits between retries (`sleep`), so close() ends them at once. `process` must not throw.
 */
export class DeliveryQueue<T> {
  private readonly queue: AlertQueue<T>;
  private working = false;
  private closedFlag = false;
  private readonly pendingTimers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  constructor(
    capacity: number,
    private readonly process: (item: T) => Promise<void>,
    private readonly onDropped: (item: T, droppedSoFar: number) => void,
    /** Called each time the worker runs out of work (and after close). */
    private readonly onIdle: () => void,
  ) {
    this.queue = new AlertQueue(capacity);
  }

  get size(): number {
    return this.queue.size;
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  isIdle(): boolean {
    return !this.working && this.queue.size === 0;
  }

  push(item: T): void {
    if (this.closedFlag) return;
    const dropped = this.queue.push(item);
    if (dropped !== undefined) this.onDropped(dropped, this.queue.dropped);
    if (!this.working) void this.work();
  }

  /** Waits ms, or less when the queue is closed meanwhile. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const pending = {
        timer: setTimeout(() => {
          this.pendingTimers.delete(pending);
          resolve();
        }, ms),
        resolve,
      };
      pending.timer.unref();
      this.pendingTimers.add(pending);
    });
  }

  /** Stops taking items and ends the waits between retries; returns how many queued items were dropped. */
  close(): number {
    this.closedFlag = true;
    const queued = this.queue.clear();
    for (const pending of this.pendingTimers) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingTimers.clear();
    this.onIdle();
    return queued;
  }

  private async work(): Promise<void> {
    this.working = true;
    try {
      for (let item = this.queue.shift(); item !== undefined && !this.closedFlag; item = this.queue.shift()) {
        await this.process(item);
      }
    } finally {
      this.working = false;
      this.onIdle();
    }
  }
}
