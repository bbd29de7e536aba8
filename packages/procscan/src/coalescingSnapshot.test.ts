import { describe, expect, it } from 'vitest';
import { coalescingSnapshot } from './coalescingSnapshot.js';

function counter(delayMs = 20) {
  let scans = 0;
  const take = () =>
    new Promise<number>((resolve) => {
      scans += 1;
      const id = scans;
      setTimeout(() => resolve(id), delayMs);
    });
  return { take, scans: () => scans };
}

describe('coalescingSnapshot', () => {
  it('serves 200 concurrent callers with one scan', async () => {
    const c = counter();
    const snapshot = coalescingSnapshot(c.take);
    const results = await Promise.all(Array.from({ length: 200 }, () => snapshot()));
    expect(new Set(results)).toEqual(new Set([1]));
    expect(c.scans()).toBe(1);
  });

  it('gives callers arriving during a scan a later scan, shared among them', async () => {
    const c = counter();
    const snapshot = coalescingSnapshot(c.take);
    const first = snapshot();
    await turnsUntil(() => c.scans() === 1);
    const late = await Promise.all([snapshot(), snapshot(), snapshot()]);
    expect(await first).toBe(1);
    expect(late).toEqual([2, 2, 2]);
    expect(c.scans()).toBe(2);
  });

  it('scans again for a caller after the previous scan finished', async () => {
    const c = counter(1);
    const snapshot = coalescingSnapshot(c.take);
    expect(await snapshot()).toBe(1);
    expect(await snapshot()).toBe(2);
  });

  it('gathers callers of one event-loop turn onto one scan, though the scan is synchronous', async () => {
    let scans = 0;
    const snapshot = coalescingSnapshot(async () => ++scans);
    // Immediates queued in one turn all run in the next check phase (timers of 0 ms may straddle two turns under load).
    const asked = (): Promise<number> => new Promise((resolve) => setImmediate(() => resolve(snapshot())));
    expect(await Promise.all([asked(), asked(), asked()])).toEqual([1, 1, 1]);
  });

  it('passes a failure to the callers of that scan only', async () => {
    let calls = 0;
    const snapshot = coalescingSnapshot(async () => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return calls;
    });
    await expect(snapshot()).rejects.toThrow('boom');
    expect(await snapshot()).toBe(2);
  });
});

describe('coalescingSnapshot with a gap', () => {
  it('leaves gapMs between back-to-back scans but serves an isolated caller at once', async () => {
    // A gap far longer than any scheduling delay: "at once" and "after the gap" cannot be confused.
    const gapMs = 1_000;
    const starts: number[] = [];
    const snapshot = coalescingSnapshot(
      async () => {
        starts.push(Date.now());
        await new Promise((r) => setTimeout(r, 10));
        return starts.length;
      },
      { gapMs },
    );
    const first = snapshot();
    await turnsUntil(() => starts.length === 1);
    const second = snapshot();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(gapMs);
    await waitUntil(() => Date.now() - starts[1]! > gapMs + 50);
    const before = Date.now();
    expect(await snapshot()).toBe(3);
    expect(starts[2]! - before).toBeLessThan(gapMs);
  });
});

describe('coalescingSnapshot with a gap per scan time', () => {
  it('spaces back-to-back scans by a multiple of how long the last one took', async () => {
    const scanMs = 200;
    const spans: { start: number; end: number }[] = [];
    let started = 0;
    const snapshot = coalescingSnapshot(
      async () => {
        started += 1;
        const start = Date.now();
        await new Promise((r) => setTimeout(r, scanMs));
        spans.push({ start, end: Date.now() });
        return spans.length;
      },
      { gapPerScanTime: 2 },
    );
    const first = snapshot();
    await turnsUntil(() => started === 1);
    const second = snapshot();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    const took = spans[0]!.end - spans[0]!.start;
    expect(spans[1]!.start - spans[0]!.end).toBeGreaterThanOrEqual(2 * took - 1);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

/** Lets the event loop turn until `condition` holds: a caller that must arrive while a scan runs waits for it to begin, not for a fixed time. */
async function turnsUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}
