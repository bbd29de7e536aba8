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

  it('routine notices (started, recovered) never delay the first failure; only repeats of failures are held back', () => {
    const limiter = new RateLimiter(300_000, () => undefined);
    expect(limiter.offer(at('p', 'autostart', 'started'))?.event.kind).toBe('started');
    expect(limiter.offer(at('p', 'first crash', 'restarted'))?.event.reason).toBe('first crash');
    expect(limiter.offer(at('p', 'second crash', 'restarted'))).toBeUndefined();
    // Behind held-back failures, a routine notice waits its turn (the order of events is kept).
    expect(limiter.offer(at('p', 'up again', 'recovered'))).toBeUndefined();
    expect(limiter.heldBackCount()).toBe(2);
    // Another program's first failure is not held back by this one's.
    expect(limiter.offer(at('q', 'started', 'started'))).toBeDefined();
    expect(limiter.offer(at('q', 'gave up', 'gave-up'))?.event.kind).toBe('gave-up');
    limiter.close();
  });

  it('a monitor restart or a gave-up after a start notice goes out at once too', () => {
    for (const kind of ['monitor-restart', 'gave-up'] as const) {
      const limiter = new RateLimiter(300_000, () => undefined);
      limiter.offer(at('p', 'autostart', 'started'));
      limiter.offer(at('p', 'ok', 'recovered'));
      expect(limiter.offer(at('p', 'failure', kind))?.event.kind).toBe(kind);
      limiter.close();
    }
  });

  it('an interval of 0 lets everything through', () => {
    const limiter = new RateLimiter(0, () => undefined);
    for (let i = 0; i < 5; i += 1) expect(limiter.offer(at('p', String(i)))).toBeDefined();
  });
});
