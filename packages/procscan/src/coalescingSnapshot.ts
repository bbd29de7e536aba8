export interface CoalescingOptions {
  /** Least time between the end of one scan and the start of the next (default 0). */
  gapMs?: number;
  /**
   * The gap is at least this many times the last scan's duration (default 0): with 2, scans
   * take at most a third of a core however long one scan takes (1000 processes or more).
   */
  gapPerScanTime?: number;
}

/**
 * Shares one snapshot among every caller that asks while it is pending, and never hands a caller
 * a snapshot that began before its request (a process that died just before the request must
 * not look alive). A scan begins on the event loop's next check phase (setImmediate), so every
 * caller of one turn (e.g. many programs whose locks were granted together) shares it even though
 * the scan itself is synchronous. A caller arriving while a scan runs joins the next one, which
 * starts `gapMs` after the running one ends — so N concurrent pollers cause one scan per
 * (scan time + gap), not N, and a burst of starts cannot keep a core busy scanning. A caller
 * arriving when no scan ran recently is served at once (a crash restart is never delayed).
 */
export function coalescingSnapshot<T>(take: () => Promise<T>, options: CoalescingOptions = {}): () => Promise<T> {
  const gapMs = options.gapMs ?? 0;
  const gapPerScanTime = options.gapPerScanTime ?? 0;
  let running: Promise<T> | undefined;
  let pending: Promise<T> | undefined;
  let lastEnd = Number.NEGATIVE_INFINITY;
  let lastDuration = 0;

  const schedule = (after: Promise<unknown>): Promise<T> => {
    const scan = after
      .then(
        () => undefined,
        () => undefined,
      )
      .then(async () => {
        const wait = lastEnd + Math.max(gapMs, lastDuration * gapPerScanTime) - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await new Promise((resolve) => setImmediate(resolve));
        // From here on, callers need a scan that begins after them.
        pending = undefined;
        running = scan;
        const begin = Date.now();
        try {
          return await take();
        } finally {
          lastEnd = Date.now();
          lastDuration = lastEnd - begin;
        }
      });
    pending = scan;
    const clear = () => {
      if (running === scan) running = undefined;
    };
    scan.then(clear, clear);
    return scan;
  };

  return () => pending ?? schedule(running ?? Promise.resolve());
}
