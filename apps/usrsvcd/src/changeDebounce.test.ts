import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChangeDebounce } from './changeDebounce.js';

afterEach(() => vi.useRealTimers());

describe('ChangeDebounce', () => {
  it('fires once after a quiet second, with the first path and how many others changed', () => {
    vi.useFakeTimers();
    const fired: Array<[string, number]> = [];
    const debounce = new ChangeDebounce({ quietMs: 1_000, minIntervalMs: 0 }, (first, more) => fired.push([first, more]), Date.now);
    for (let i = 0; i < 50; i++) {
      debounce.add(`/app/f${i % 10}`);
      vi.advanceTimersByTime(100);
    }
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual([['/app/f0', 9]]);
  });

  it('never fires more often than restart_delay', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    const debounce = new ChangeDebounce({ quietMs: 1_000, minIntervalMs: 10_000 }, (first) => fired.push(first), Date.now);
    debounce.add('/a');
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['/a']);
    debounce.add('/b');
    vi.advanceTimersByTime(9_999);
    expect(fired).toEqual(['/a']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['/a', '/b']);
  });

  it('fires nothing after close', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    const debounce = new ChangeDebounce({ quietMs: 1_000, minIntervalMs: 0 }, (first) => fired.push(first), Date.now);
    debounce.add('/a');
    debounce.close();
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual([]);
  });
});
