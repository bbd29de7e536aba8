import type { ActionResult, RunningProcess } from '@usrsvc/launcher';
import { describe, expect, it } from 'vitest';
import type { StateKind, SupervisorState } from './programState.js';
import {
  EVENT_TYPES,
  type EventType,
  STATE_KINDS,
  type SupervisorEvent,
  step,
  type TableProgram,
  TRANSITIONS,
  type TransitionFacts,
  type TransitionTable,
} from './transitions.js';

const NOW = 1_000_000;
const proc = (pid: number, startTicks = pid * 10): RunningProcess =>
  ({ pid, identity: { pid, startTicks }, startTicks, startTime: NOW - 5_000, cmdline: 'sleep 1', argv: ['sleep', '1'], rssKb: 1, foundBy: 'pidfile' }) as unknown as RunningProcess;
const P = proc(100);
const Q = proc(200);

const managed: TableProgram = { name: 'web', enabled: true, autoStart: true, autoRestart: true, maxRestarts: 0, restartDelay: 0, restartDelayMax: 0, successSeconds: 1 };
const unmanagedProgram: TableProgram = { ...managed, autoStart: false, autoRestart: false };

/** One sample of each state, with the facts that go with it. */
const SAMPLES: { [K in StateKind]: { state: Extract<SupervisorState, { kind: K }>; program?: TableProgram; history?: TransitionFacts['history'] } } = {
  unobserved: { state: { kind: 'unobserved', since: 0, ranBefore: false } },
  running: { state: { kind: 'running', process: P, since: P.startTime } },
  starting: {
    state: { kind: 'starting', attempt: 1, since: NOW, cause: 'autorestart', reason: 'pid 1 exited', historyBefore: { attempts: 0 } },
    history: { attempts: 1, lastAttemptAt: NOW },
  },
  stopping: { state: { kind: 'stopping', monitor: 'rss', reason: 'too big', since: NOW, process: P } },
  backoff: {
    state: { kind: 'backoff', attempt: 2, nextAttemptAt: NOW, delayMs: 1_000, reason: 'pid 1 exited' },
    history: { attempts: 1, lastAttemptAt: NOW - 5_000 },
  },
  'gave-up': { state: { kind: 'gave-up', afterRestarts: 3, since: 0 }, history: { attempts: 3, lastAttemptAt: NOW - 5_000 } },
  'stopped-by-user': { state: { kind: 'stopped-by-user', since: 0 } },
  held: { state: { kind: 'held', since: 0, why: 'waiting for db (backoff)', ranBefore: true, reason: 'pid 1 exited' } },
  'not-running': { state: { kind: 'not-running', since: 0, why: 'autostart=False' }, program: { ...managed, autoStart: false } },
  'not-managed': { state: { kind: 'not-managed', why: 'no-autostart-no-autorestart', process: P }, program: unmanagedProgram },
  released: { state: { kind: 'released' } },
};

const failedStart = { name: 'web', action: 'start', code: 137, outcome: 'failed', message: 'exited at once' } as unknown as ActionResult;

/** One sample of each event (about the sample state's process where it names one). */
const EVENTS: { [E in EventType]: Extract<SupervisorEvent, { type: E }> } = {
  'found-running': { type: 'found-running', process: Q, ours: false },
  'found-not-running': { type: 'found-not-running', known: {} },
  exited: { type: 'exited', process: P, status: { exitCode: 1, signal: null } as never },
  launched: { type: 'launched', pid: 300 },
  'start-succeeded': { type: 'start-succeeded', process: Q, alreadyRunning: false, ours: true },
  'start-refused': { type: 'start-refused', why: 'stopped-by-user' },
  'start-failed': { type: 'start-failed', result: failedStart },
  'stop-succeeded': { type: 'stop-succeeded', message: 'web stopped' },
  'stop-failed': { type: 'stop-failed', error: 'still running after SIGKILL' },
  'lock-timed-out': { type: 'lock-timed-out', action: 'stop', error: 'could not lock web within 30 s' },
  'backoff-elapsed': { type: 'backoff-elapsed' },
  'monitor-restart': { type: 'monitor-restart', monitor: 'rss', reason: 'too big', pid: P.pid },
  'config-changed': { type: 'config-changed' },
  release: { type: 'release' },
  changed: { type: 'changed', path: '/srv/app/main.py', more: 2 },
};

type Outcome = StateKind | 'stay';
const S = 'stay';

/** restart_on_change restarts a running program, and nothing else. */
const ON_CHANGE: Record<StateKind, Outcome> = {
  unobserved: S, running: 'stopping', starting: S, stopping: S, backoff: S, 'gave-up': S, 'stopped-by-user': S, 'not-running': S, 'not-managed': S, held: S, released: S,
};

/** The written outcome of every pair: the state entered, or "stay". */
const WRITTEN: Record<StateKind, Record<Exclude<EventType, 'changed'>, Outcome>> = {
  unobserved: {
    'found-running': 'running', 'found-not-running': 'starting', exited: S, launched: S, 'start-succeeded': 'running', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': S, release: 'released',
  },
  running: {
    'found-running': 'running', 'found-not-running': 'starting', exited: 'starting', launched: S, 'start-succeeded': 'running', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': 'stopping', 'config-changed': S, release: 'released',
  },
  starting: {
    'found-running': S, 'found-not-running': S, exited: S, launched: 'starting', 'start-succeeded': 'running', 'start-refused': 'stopped-by-user',
    'start-failed': 'backoff', 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': 'unobserved', 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': S, release: 'released',
  },
  stopping: {
    'found-running': S, 'found-not-running': S, exited: S, launched: S, 'start-succeeded': S, 'start-refused': S,
    'start-failed': S, 'stop-succeeded': 'starting', 'stop-failed': 'unobserved', 'lock-timed-out': 'unobserved', 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': S, release: 'released',
  },
  backoff: {
    'found-running': 'running', 'found-not-running': S, exited: S, launched: S, 'start-succeeded': 'running', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': 'starting', 'monitor-restart': S, 'config-changed': S, release: 'released',
  },
  'gave-up': {
    'found-running': 'running', 'found-not-running': S, exited: S, launched: S, 'start-succeeded': 'running', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': 'unobserved', release: 'released',
  },
  'stopped-by-user': {
    'found-running': 'running', 'found-not-running': 'starting', exited: S, launched: S, 'start-succeeded': 'running', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': S, release: 'released',
  },
  'not-running': {
    'found-running': 'running', 'found-not-running': S, exited: S, launched: S, 'start-succeeded': 'running', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': S, release: 'released',
  },
  'not-managed': {
    'found-running': 'not-managed', 'found-not-running': 'not-managed', exited: 'not-managed', launched: S, 'start-succeeded': 'not-managed', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': 'not-managed', release: 'released',
  },
  held: {
    'found-running': 'running', 'found-not-running': 'starting', exited: S, launched: S, 'start-succeeded': 'running', 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': 'starting', release: 'released',
  },
  released: {
    'found-running': S, 'found-not-running': S, exited: S, launched: S, 'start-succeeded': S, 'start-refused': S,
    'start-failed': S, 'stop-succeeded': S, 'stop-failed': S, 'lock-timed-out': S, 'backoff-elapsed': S, 'monitor-restart': S, 'config-changed': S, release: S,
  },
};

const EXPECTED = Object.fromEntries(STATE_KINDS.map((kind) => [kind, { ...WRITTEN[kind], changed: ON_CHANGE[kind] }])) as Record<StateKind, Record<EventType, Outcome>>;

function run(kind: StateKind, event: SupervisorEvent, over: Partial<TransitionFacts> = {}) {
  const sample = SAMPLES[kind];
  const facts: TransitionFacts = {
    program: sample.program ?? managed,
    history: sample.history ?? { attempts: 0 },
    now: NOW,
    userStoppedAt: () => undefined,
    failedStartStderrOffset: undefined,
    dependencyHeld: () => undefined,
    ...over,
  };
  return step(sample.state, event, facts);
}

describe('the transition table', () => {
  it('has a row for every state and, in each, a transition for every event', () => {
    expect([...STATE_KINDS].sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const kind of STATE_KINDS) expect(Object.keys(TRANSITIONS[kind]).sort()).toEqual([...EVENT_TYPES].sort());
    expect([...EVENT_TYPES].sort()).toEqual(Object.keys(EVENTS).sort());
  });

  const pairs = STATE_KINDS.flatMap((kind) => EVENT_TYPES.map((event) => [kind, event] as const));
  it.each(pairs)('in %s, on %s: the written outcome', (kind, type) => {
    const result = run(kind, EVENTS[type]);
    expect(result.to?.kind ?? 'stay').toBe(EXPECTED[kind][type]);
  });

  it('leaves no state without a way out: every state but released has an event that leaves it', () => {
    for (const kind of STATE_KINDS.filter((k) => k !== 'released')) {
      const exits = EVENT_TYPES.filter((type) => {
        const to = run(kind, EVENTS[type]).to;
        return to !== undefined && to.kind !== kind;
      });
      expect(exits.length, kind).toBeGreaterThan(0);
    }
  });

  it('an action in flight always ends: every failure of a start or stop leaves starting and stopping', () => {
    for (const type of ['start-succeeded', 'start-refused', 'start-failed', 'lock-timed-out'] as const) {
      expect(run('starting', EVENTS[type]).to?.kind, type).not.toBe('starting');
    }
    for (const type of ['stop-succeeded', 'stop-failed', 'lock-timed-out'] as const) {
      expect(run('stopping', EVENTS[type]).to?.kind, type).not.toBe('stopping');
    }
  });

  it('a monitor restart that meets a held lock goes back to observing the program', () => {
    const result = run('stopping', EVENTS['lock-timed-out']);
    expect(result.to).toEqual({ kind: 'unobserved', since: NOW, ranBefore: true });
    expect(result.effects).toContainEqual({ do: 'observe' });
    expect(result.effects).toContainEqual(expect.objectContaining({ do: 'log', level: 'error', text: expect.stringContaining('monitor restart failed: could not lock web') }));
  });

  it('a start that could not take the lock was no attempt: the restart count is restored', () => {
    const result = run('starting', { type: 'lock-timed-out', action: 'start', error: 'busy' });
    expect(result.effects[0]).toEqual({ do: 'set-history', history: { attempts: 0 } });
    expect(result.effects).toContainEqual({ do: 'observe' });
  });

  it('a program usrsvcd does not manage is reported running with its process, and stopped once it exits', () => {
    const fresh = step({ kind: 'unobserved', since: 0, ranBefore: false }, EVENTS['found-running'], {
      program: unmanagedProgram,
      history: { attempts: 0 },
      now: NOW,
      userStoppedAt: () => undefined,
      failedStartStderrOffset: undefined,
      dependencyHeld: () => undefined,
    });
    expect(fresh.to).toEqual({ kind: 'not-managed', why: 'no-autostart-no-autorestart', process: Q });
    expect(fresh.effects).toContainEqual({ do: 'watch-exit', process: Q });
    expect(fresh.effects.some((e) => e.do === 'start')).toBe(false);
    const gone = run('not-managed', EVENTS.exited);
    expect(gone.to).toEqual({ kind: 'not-managed', why: 'no-autostart-no-autorestart' });
  });

  it('a user stop found after a restart (mark present) is stopped-by-user since the time in the mark', () => {
    const result = run('running', EVENTS.exited, { userStoppedAt: () => NOW - 60_000 });
    expect(result.to).toEqual({ kind: 'stopped-by-user', since: NOW - 60_000 });
  });

  it('counts a crash restart as a restart, an autostart not', () => {
    expect(run('running', EVENTS.exited).effects).toContainEqual({ do: 'count-restart', reason: 'crash' });
    expect(run('unobserved', EVENTS['found-not-running']).effects.some((e) => e.do === 'count-restart')).toBe(false);
  });

  it('is checked by the compiler: a row without a pair is not a row of the table', () => {
    const { release: _left, ...withoutRelease } = TRANSITIONS.released;
    // @ts-expect-error a row that leaves out an event does not type-check
    const row: TransitionTable['released'] = withoutRelease;
    expect(Object.keys(row)).not.toContain('release');
  });
});

describe('restart_on_change in the table', () => {
  it('restarts a running program: counted as a change, logged with the path, stopped then started', () => {
    const result = run('running', EVENTS.changed);
    expect(result.to).toMatchObject({ kind: 'stopping', monitor: 'restart_on_change', reason: '/srv/app/main.py changed', process: P });
    expect(result.effects).toContainEqual({ do: 'count-restart', reason: 'change' });
    expect(result.effects).toContainEqual({ do: 'stop' });
    expect(result.effects).toContainEqual(expect.objectContaining({ do: 'log', text: expect.stringContaining('/srv/app/main.py changed (and 2 more): restarting pid') }));
  });

  it('never restarts a program the user stopped, even while its process is still seen running', () => {
    const result = run('running', EVENTS.changed, { userStoppedAt: () => NOW - 1_000 });
    expect(result.to).toBeUndefined();
    expect(result.effects.some((e) => e.do === 'stop' || e.do === 'count-restart')).toBe(false);
    expect(result.effects).toContainEqual(expect.objectContaining({ do: 'log', text: expect.stringContaining('stopped with "usrsvc stop": not restarting') }));
  });

  it('starts nothing in any other state', () => {
    for (const kind of STATE_KINDS.filter((k) => k !== 'running')) {
      const effects = run(kind, EVENTS.changed).effects;
      expect(effects.some((e) => e.do === 'start' || e.do === 'stop' || e.do === 'count-restart'), kind).toBe(false);
    }
  });
});
