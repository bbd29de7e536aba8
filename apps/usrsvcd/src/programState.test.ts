import { describe, expect, it } from 'vitest';
import { type DecisionProgram, type SupervisorState, toApiState, whenNotRunning } from './programState.js';

const program = (over: Partial<DecisionProgram> = {}): DecisionProgram => ({
  autoStart: true,
  autoRestart: true,
  maxRestarts: 0,
  restartDelay: 0,
  restartDelayMax: 0,
  ...over,
});
const NOW = 1_000_000;
const running: SupervisorState = { kind: 'unobserved', since: 0, ranBefore: true };
const fresh: SupervisorState = { kind: 'unobserved', since: 0, ranBefore: false };
const decide = (from: SupervisorState, over: Partial<DecisionProgram> = {}, extra: { attempts?: number; last?: number; byUser?: boolean } = {}) =>
  whenNotRunning({
    program: program(over),
    from,
    history: { attempts: extra.attempts ?? 0, lastAttemptAt: extra.last },
    stoppedByUser: extra.byUser ?? false,
    now: NOW,
  });

describe('whenNotRunning', () => {
  it('at daemon start: autostart, or leaves it alone with autostart=False or a user-stop mark', () => {
    expect(decide(fresh)).toEqual({ to: 'start', kind: 'autostart', attempt: 1, delayMs: 0 });
    expect(decide(fresh, { autoStart: false })).toEqual({ to: 'not-running', why: 'autostart=False' });
    expect(decide(fresh, {}, { byUser: true })).toEqual({ to: 'stopped-by-user' });
  });

  it('after an exit: restarts, respects autorestart=False and the user-stop mark', () => {
    expect(decide(running)).toEqual({ to: 'start', kind: 'autorestart', attempt: 1, delayMs: 0 });
    expect(decide(running, { autoRestart: false })).toEqual({ to: 'not-running', why: 'autorestart=False' });
    expect(decide(running, {}, { byUser: true })).toEqual({ to: 'stopped-by-user' });
  });

  it('waits for the restart delay, then gives up at maxrestarts', () => {
    expect(decide(running, { restartDelay: 5 }, { attempts: 1, last: NOW - 1_000 })).toEqual({
      to: 'backoff',
      attempt: 2,
      nextAttemptAt: NOW + 4_000,
      delayMs: 5_000,
    });
    expect(decide(running, { maxRestarts: 3 }, { attempts: 3, last: NOW - 10_000 })).toEqual({ to: 'gave-up', afterRestarts: 3 });
  });

  it('leaves terminal states alone and resumes a user-stopped program once the mark is gone', () => {
    for (const from of [
      { kind: 'gave-up', afterRestarts: 3, since: 0 },
      { kind: 'not-running', since: 0, why: 'autostart=False' },
      { kind: 'not-managed', why: 'disabled' },
      { kind: 'stopping', monitor: 'rss', reason: 'big', since: 0, process: {} as never },
    ] satisfies SupervisorState[]) {
      expect(decide(from)).toEqual({ to: 'stay' });
    }
    const userStopped: SupervisorState = { kind: 'stopped-by-user', since: 0 };
    expect(decide(userStopped, {}, { byUser: true })).toEqual({ to: 'stay' });
    expect(decide(userStopped)).toMatchObject({ to: 'start', kind: 'autorestart' });
  });

  it('a failed start (from starting) is decided like an exit', () => {
    expect(decide({ kind: 'starting', attempt: 1, since: 0, cause: 'autorestart', historyBefore: { attempts: 0 } }, { maxRestarts: 1 }, { attempts: 1, last: NOW - 5_000 })).toEqual({
      to: 'gave-up',
      afterRestarts: 1,
    });
  });
});

describe('toApiState', () => {
  it('reports each state with ISO times', () => {
    expect(toApiState({ kind: 'backoff', attempt: 2, nextAttemptAt: 0, delayMs: 4_000, reason: 'x' })).toEqual({
      state: 'backoff',
      attempt: 2,
      nextAttemptAt: '1970-01-01T00:00:00.000Z',
      delayMs: 4_000,
    });
    expect(toApiState(fresh)).toMatchObject({ state: 'not-running', why: 'not checked yet' });
  });
});
