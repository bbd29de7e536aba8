import { sleep, waitFor } from '@usrsvc/testkit';
import { describe, expect, it } from 'vitest';
import { type ReleasedAlert, RateLimiter } from './rateLimiter.js';
import type { AlertEvent } from './types.js';

const at = (program: string, reason: string, kind: AlertEvent['kind'] = 'restarted'): AlertEvent => ({
  program,
  recipients: ['a@b'],
  kind,
  reason,
  time: new Date(),
});

describe('RateLimiter', () => {
  it('lets the first event through and releases the held-back ones at the end of the interval', async () => {
    const released: ReleasedAlert[] = [];
    const limiter = new RateLimiter(300, (alert) => released.push(alert));
    expect(limiter.offer(at('p', 'first'))?.event.reason).toBe('first');
    expect(limiter.offer(at('p', 'second'))).toBeUndefined();
    expect(limiter.offer(at('p', 'third', 'monitor-restart'))).toBeUndefined();
    expect(limiter.offer(at('p', 'fourth'))).toBeUndefined();
    expect(limiter.heldBackCount()).toBe(3);
    await waitFor('release', () => released.length === 1, { timeoutMs: 5000 });
    const [alert] = released;
    expect(alert?.event.reason).toBe('fourth');
    expect(alert?.heldBack).toMatchObject({ count: 2, byKind: { restarted: 1, 'monitor-restart': 1 } });
    expect(limiter.heldBackCount()).toBe(0);
    // The release opened a new interval: the next event is held again.
    expect(limiter.offer(at('p', 'fifth'))).toBeUndefined();
    limiter.close();
  });

  it('limits programs independently and releases a single held-back event without a summary', async () => {
    const released: ReleasedAlert[] = [];
    const limiter = new RateLimiter(200, (alert) => released.push(alert));
    expect(limiter.offer(at('a', '1'))).toBeDefined();
    expect(limiter.offer(at('b', '1'))).toBeDefined();
    expect(limiter.offer(at('a', '2'))).toBeUndefined();
    await waitFor('release', () => released.length === 1, { timeoutMs: 5000 });
    expect(released[0]).toEqual({ event: expect.objectContaining({ program: 'a', reason: '2' }) });
    limiter.close();
  });

  it('close() stops the timers and forgets held-back events', async () => {
    const released: ReleasedAlert[] = [];
    const limiter = new RateLimiter(100, (alert) => released.push(alert));
    limiter.offer(at('p', '1'));
    limiter.offer(at('p', '2'));
    expect(limiter.close()).toBe(1);
    await sleep(250);
    expect(released).toEqual([]);
  });

  it('an interval of 0 lets everything through', () => {
    const limiter = new RateLimiter(0, () => undefined);
    for (let i = 0; i < 5; i += 1) expect(limiter.offer(at('p', String(i)))).toBeDefined();
  });
});
