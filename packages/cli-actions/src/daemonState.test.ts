import type { ProgramView } from '@usrsvc/api';
import { describe, expect, it } from 'vitest';
import { daemonDetailLines, describeDaemonState, describeLastExit } from './daemonState.js';

const NOW = Date.parse('2026-11-29T08:00:00.000Z');
const view = (over: Partial<ProgramView>): ProgramView => ({
  name: 'web',
  enabled: true,
  autoStart: true,
  autoRestart: true,
  maxRestarts: 5,
  state: { state: 'running', pid: 1, since: '2026-11-29T07:00:00.000Z' },
  running: true,
  restarts: 0,
  startAttempts: 0,
  restartCounts: { crash: 0, monitor: 0, watchdog: 0, manual: 0, change: 0 },
  process: null,
  lastExit: null,
  monitors: [],
  leftovers: [],
  stdout: '/x',
  stderr: '/x',
  settings: { directory: null, envFiles: [], limits: {}, umask: null, nice: null, autoRestart: 'always', exitCodes: [0], reloadSignal: null, restartOnChange: [], restartOnChangeIgnore: [] },
  ...over,
});
const exit1 = { at: '2026-11-29T07:59:00.000Z', pid: 9, exitCode: 1, signal: null, upMs: 3_000, cause: { by: 'crash' as const } };

describe('describeDaemonState', () => {
  it('says what usrsvcd knows in a few words', () => {
    expect(describeDaemonState(view({}), NOW)).toBe('running');
    expect(describeDaemonState(view({ state: { state: 'backoff', attempt: 3, nextAttemptAt: '2026-11-29T08:00:03.200Z', delayMs: 4000 } }), NOW)).toBe(
      'backoff, next in 4 s',
    );
    expect(describeDaemonState(view({ state: { state: 'gave-up', afterRestarts: 5, since: '2026-11-29T07:59:00.000Z' }, lastExit: exit1 }), NOW)).toBe(
      'gave up after 5 start attempts (exit 1)',
    );
    expect(describeDaemonState(view({ state: { state: 'stopped-by-user', since: '2026-11-29T07:57:00.000Z' } }), NOW)).toBe('stopped by user 3m ago');
    expect(describeDaemonState(view({ state: { state: 'starting', attempt: 1, since: '2026-11-29T08:00:00.000Z' } }), NOW)).toBe('starting');
    expect(describeDaemonState(view({ state: { state: 'not-managed', why: 'disabled' } }), NOW)).toBe('disabled');
  });

  it('describes the last exit with how, how long and why', () => {
    expect(describeLastExit(exit1, NOW)).toBe('Last exit: pid 9 exit 1 after 3s, crashed, 1m ago');
    expect(describeLastExit({ ...exit1, exitCode: null, signal: 'SIGKILL', cause: { by: 'monitor', monitor: 'rss', reason: 'too big' } }, NOW)).toBe(
      'Last exit: pid 9 SIGKILL after 3s, restarted by monitor rss: too big, 1m ago',
    );
  });

  it('status NAME adds the state, the last exit and each monitor verdict', () => {
    const lines = daemonDetailLines(
      view({
        restarts: 1,
        startAttempts: 2,
        lastExit: exit1,
        monitors: [{ monitor: 'http', verdict: 'error', detail: 'ECONNREFUSED', checkedAt: '2026-11-29T07:59:55.000Z', durationMs: 3 }],
      }),
      NOW,
    );
    expect(lines).toEqual([
      'usrsvcd: running; 1 restart, 2 start attempts counted toward maxrestarts',
      'Last exit: pid 9 exit 1 after 3s, crashed, 1m ago',
      'Monitor http: error (ECONNREFUSED), checked 5s ago',
    ]);
  });
});
