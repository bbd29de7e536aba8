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
    await new Promise((r) => setTimeout(r, 5));
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
    const asked = (): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(snapshot()), 0));
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
    const starts: number[] = [];
    const snapshot = coalescingSnapshot(
      async () => {
        starts.push(Date.now());
        await new Promise((r) => setTimeout(r, 10));
        return starts.length;
      },
      { gapMs: 60 },
    );
    const first = snapshot();
    await new Promise((r) => setTimeout(r, 2));
    const second = snapshot();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(60);
    await new Promise((r) => setTimeout(r, 80));
    const before = Date.now();
    expect(await snapshot()).toBe(3);
    expect(starts[2]! - before).toBeLessThan(50);
  });
});
