import { describe, expect, it } from 'vitest';
import { AlertQueue } from './AlertQueue.js';

describe('AlertQueue', () => {
  it('is FIFO', () => {
    const queue = new AlertQueue<number>(3);
    queue.push(1);
    queue.push(2);
    expect(queue.shift()).toBe(1);
    expect(queue.shift()).toBe(2);
    expect(queue.shift()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('drops the oldest item when full, and counts it', () => {
    const queue = new AlertQueue<number>(3);
    for (let i = 1; i <= 3; i += 1) expect(queue.push(i)).toBeUndefined();
    expect(queue.push(4)).toBe(1);
    expect(queue.push(5)).toBe(2);
    expect(queue.dropped).toBe(2);
    expect(queue.size).toBe(3);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([3, 4, 5]);
  });

  it('stays bounded and in order over many pushes', () => {
    const queue = new AlertQueue<number>(100);
    for (let i = 0; i < 10_000; i += 1) {
      queue.push(i);
      if (i % 3 === 0 && i < 9000) queue.shift();
    }
    expect(queue.size).toBe(100);
    const rest: number[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) rest.push(item);
    expect(rest).toEqual(Array.from({ length: 100 }, (_, i) => 9900 + i));
  });

  it('rejects a capacity below 1', () => {
    expect(() => new AlertQueue(0)).toThrow(RangeError);
  });
});
