import { describe, expect, it } from 'vitest';
import { decideRestart, delayBeforeAttempt, policyFromProgram, SUSTAINED_UP_MS, wasSustained } from './restartPolicy.js';

const policy = (maxRestarts: number, restartDelay: number, restartDelayMax = 0) =>
  policyFromProgram({ maxRestarts, restartDelay, restartDelayMax });

describe('delayBeforeAttempt', () => {
  it('uses restart_delay as a fixed gap when there is no backoff', () => {
    const p = policy(0, 3);
    expect([0, 1, 2, 5].map((n) => delayBeforeAttempt(p, n))).toEqual([3000, 3000, 3000, 3000]);
  });

  it('doubles from restart_delay up to restart_delay_max', () => {
    const p = policy(0, 1, 5);
    expect([1, 2, 3, 4, 5].map((n) => delayBeforeAttempt(p, n))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('backs off from 1 s when restart_delay is 0', () => {
    const p = policy(0, 0, 10);
    expect([1, 2, 3, 4, 5, 6].map((n) => delayBeforeAttempt(p, n))).toEqual([1000, 1000, 2000, 4000, 8000, 10000]);
  });

  it('never spaces attempts less than 1 s apart, except before the first', () => {
    const p = policy(0, 0);
    expect([0, 1, 2, 9].map((n) => delayBeforeAttempt(p, n))).toEqual([0, 1000, 1000, 1000]);
  });

  it('ignores a restart_delay_max that is not larger than restart_delay', () => {
    expect(delayBeforeAttempt(policy(0, 4, 2), 6)).toBe(4000);
  });
});

describe('decideRestart', () => {
  it('starts at once when nothing was attempted yet', () => {
    expect(decideRestart(policy(0, 10), { attempts: 0 }, 1000)).toEqual({ action: 'start', attempt: 1, delayMs: 0 });
  });

  it('waits until restart_delay has passed since the last attempt', () => {
    const decision = decideRestart(policy(0, 10), { attempts: 1, lastAttemptAt: 1000 }, 5000);
    expect(decision).toEqual({ action: 'wait', attempt: 2, delayMs: 10000, startAt: 11000 });
    expect(decideRestart(policy(0, 10), { attempts: 1, lastAttemptAt: 1000 }, 11000).action).toBe('start');
  });

  it('honours restart_delay even after the attempt count was reset', () => {
    expect(decideRestart(policy(0, 10), { attempts: 0, lastAttemptAt: 1000 }, 2000).action).toBe('wait');
  });

  it('gives up once maxrestarts attempts were made, never when unlimited', () => {
    expect(decideRestart(policy(3, 0), { attempts: 3, lastAttemptAt: 0 }, 1)).toEqual({ action: 'give-up', attempts: 3 });
    expect(decideRestart(policy(3, 0), { attempts: 2, lastAttemptAt: 0 }, 5000).action).toBe('start');
    expect(decideRestart(policy(0, 0), { attempts: 500, lastAttemptAt: 0 }, 5000).action).toBe('start');
  });
});

describe('wasSustained', () => {
  it('is true only after a minute of uptime', () => {
    expect(wasSustained(undefined, 10)).toBe(false);
    expect(wasSustained(0, SUSTAINED_UP_MS - 1)).toBe(false);
    expect(wasSustained(0, SUSTAINED_UP_MS)).toBe(true);
  });
});
