import { describe, expect, it } from 'vitest';
import { EventLog } from './eventLog.js';

const removed = (name: string) => ({ type: 'program-removed' as const, name });

describe('EventLog', () => {
  it('numbers events, replays what a client missed, and asks for a snapshot when it is too old', () => {
    const log = new EventLog(3);
    const seen: number[] = [];
    const unsubscribe = log.subscribe((e) => seen.push(e.id));
    for (const name of ['a', 'b', 'c', 'd', 'e']) log.publish(removed(name));
    unsubscribe();
    log.publish(removed('f'));
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(log.since(6)).toEqual([]);
    expect(log.since(4)?.map((e) => e.id)).toEqual([5, 6]);
    expect(log.since(3)?.map((e) => e.id)).toEqual([4, 5, 6]);
    expect(log.since(2)).toBeUndefined();
    expect(log.since(99)).toBeUndefined();
    expect(log.since(Number.NaN)).toBeUndefined();
  });
});
