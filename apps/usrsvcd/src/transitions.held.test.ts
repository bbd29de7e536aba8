import type { RunningProcess } from '@usrsvc/launcher';
import { WATCHDOG_MONITOR } from '@usrsvc/monitors';
import { describe, expect, it } from 'vitest';
import type { SupervisorState } from './programState.js';
import { type Effect, step, type TableProgram, type TransitionFacts } from './transitions.js';

const NOW = 1_000_000;
const P = { pid: 100, identity: { pid: 100, startTicks: 1000 }, startTicks: 1000, startTime: NOW - 5_000, foundBy: 'pidfile' } as unknown as RunningProcess;
const program: TableProgram = { name: 'app', enabled: true, autoStart: true, autoRestart: true, maxRestarts: 0, restartDelay: 0, restartDelayMax: 0, successSeconds: 1 };

function facts(held: string | undefined, over: Partial<TransitionFacts> = {}): TransitionFacts {
  return { program, history: { attempts: 0 }, now: NOW, userStoppedAt: () => undefined, failedStartStderrOffset: undefined, dependencyHeld: () => held, ...over };
}

const running: SupervisorState = { kind: 'running', process: P, since: P.startTime };
const crashed = { type: 'exited', process: P, status: { exitCode: 1, signal: null } } as const;
const looked = { type: 'found-not-running', known: {} } as const;
const doesIt = (effects: Effect[], what: Effect['do']) => effects.some((e) => e.do === what);

describe('depends_on holds a start in the table (held)', () => {
  it('a crashed dependent is not restarted while its dependency is in backoff: held, said once, nothing counted', () => {
    const result = step(running, crashed as never, facts('waiting for db (backoff)'));
    expect(result.to).toEqual({ kind: 'held', since: NOW, why: 'waiting for db (backoff)', ranBefore: true, reason: expect.stringContaining('pid 100 exited') });
    expect(doesIt(result.effects, 'start')).toBe(false);
    expect(doesIt(result.effects, 'count-restart')).toBe(false);
    expect(doesIt(result.effects, 'record-exit')).toBe(true);
    expect(result.effects).toContainEqual(expect.objectContaining({ do: 'log', text: 'not starting it yet: waiting for db (backoff).' }));

    const again = step(result.to!, looked, facts('waiting for db (backoff)', { now: NOW + 1_000 }));
    expect(again).toEqual({ effects: [] });
  });

  it('says when why changes (backoff, then gave up), keeping since', () => {
    const held: SupervisorState = { kind: 'held', since: NOW, why: 'waiting for db (backoff)', ranBefore: true, reason: 'pid 100 exited' };
    const result = step(held, looked, facts('waiting for db (gave-up)', { now: NOW + 5_000 }));
    expect(result.to).toEqual({ ...held, why: 'waiting for db (gave-up)' });
    expect(result.effects).toContainEqual(expect.objectContaining({ do: 'log', text: 'not starting it yet: waiting for db (gave-up).' }));
  });

  it('restarts it (a crash restart, counted) once the dependency runs; an autostart stays an autostart', () => {
    const held: SupervisorState = { kind: 'held', since: NOW, why: 'waiting for db (backoff)', ranBefore: true, reason: 'pid 100 exited' };
    const result = step(held, looked, facts(undefined));
    expect(result.to).toMatchObject({ kind: 'starting', cause: 'autorestart', reason: 'pid 100 exited' });
    expect(result.effects).toContainEqual({ do: 'count-restart', reason: 'crash' });
    expect(doesIt(result.effects, 'start')).toBe(true);

    const first = step({ kind: 'unobserved', since: 0, ranBefore: false }, looked, facts('waiting for db (starting)'));
    expect(first.to).toMatchObject({ kind: 'held', ranBefore: false });
    const started = step(first.to!, looked, facts(undefined));
    expect(started.to).toMatchObject({ kind: 'starting', cause: 'autostart' });
    expect(doesIt(started.effects, 'count-restart')).toBe(false);
  });

  it('a user stop while held wins; a program found running while held is adopted', () => {
    const held: SupervisorState = { kind: 'held', since: NOW, why: 'waiting for db (backoff)', ranBefore: true, reason: 'x' };
    expect(step(held, looked, facts('waiting for db (backoff)', { userStoppedAt: () => NOW - 1 })).to).toEqual({ kind: 'stopped-by-user', since: NOW - 1 });
    expect(step(held, { type: 'found-running', process: P, ours: false }, facts('waiting for db (backoff)')).to).toMatchObject({ kind: 'running', process: P });
  });

  it('a backoff that ends while the dependency still does not run is held, not started', () => {
    const backoff: SupervisorState = { kind: 'backoff', attempt: 2, nextAttemptAt: NOW, delayMs: 1_000, reason: 'pid 100 exited' };
    const result = step(backoff, { type: 'backoff-elapsed' }, facts('waiting for db (gave-up)', { history: { attempts: 1, lastAttemptAt: NOW - 5_000 } }));
    expect(result.to).toMatchObject({ kind: 'held', why: 'waiting for db (gave-up)' });
    expect(doesIt(result.effects, 'start')).toBe(false);
  });
});

describe('a watchdog restart', () => {
  it('is counted as watchdog, logged and alerted as a watchdog timeout', () => {
    const result = step(running, { type: 'monitor-restart', monitor: WATCHDOG_MONITOR, reason: 'no WATCHDOG=1 from pid 100 for 3.1 s', pid: 100 }, facts(undefined));
    expect(result.to).toMatchObject({ kind: 'stopping', monitor: WATCHDOG_MONITOR });
    expect(result.effects).toContainEqual({ do: 'count-restart', reason: 'watchdog' });
    expect(result.effects).toContainEqual(expect.objectContaining({ do: 'log', level: 'warn', text: expect.stringMatching(/^WATCHDOG: watchdog timeout of pid 100: no WATCHDOG=1/) }));
    expect(result.effects).toContainEqual(expect.objectContaining({ do: 'alert', reason: 'watchdog timeout: no WATCHDOG=1 from pid 100 for 3.1 s' }));
    const other = step(running, { type: 'monitor-restart', monitor: 'rss', reason: 'too big', pid: 100 }, facts(undefined));
    expect(other.effects).toContainEqual({ do: 'count-restart', reason: 'monitor' });
  });
});
