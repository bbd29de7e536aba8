import type { ProgramView } from '@usrsvc/api';
import { describe, expect, it } from 'vitest';
import { describeProcess, formatUptime, groupOf, processInfo } from './processInfo.js';
import { ProcessStates } from './processStates.js';

const base: ProgramView = {
  name: 'web',
  enabled: true,
  autoStart: true,
  autoRestart: true,
  maxRestarts: 0,
  state: { state: 'running', pid: 4242, since: '2026-12-01T10:00:00.000Z' },
  running: true,
  restarts: 0,
  startAttempts: 0,
  restartCounts: { crash: 0, monitor: 0, watchdog: 0, manual: 0, change: 0 },
  process: { pid: 4242, cmdline: 'x', argv: ['x'], startTime: '2026-12-01T10:00:00.000Z', uptimeSeconds: 3723, rssKb: 1, foundBy: 'launch' },
  lastExit: null,
  monitors: [],
  leftovers: [],
  stdout: '/l/web.out',
  stderr: '/l/web.err',
  settings: { directory: null, envFiles: [], limits: {}, umask: null, nice: null, autoRestart: 'always', exitCodes: [0], reloadSignal: null, restartOnChange: [], restartOnChangeIgnore: [] },
};
const now = Date.parse('2026-12-01T11:02:03.000Z');

describe('processInfo', () => {
  it('a running program as supervisord words it: pid 4242, uptime 1:02:03', () => {
    expect(processInfo(base, now)).toEqual({
      name: 'web',
      group: 'web',
      start: Date.parse('2026-12-01T10:00:00Z') / 1000,
      stop: 0,
      now: now / 1000,
      state: 20,
      statename: 'RUNNING',
      spawnerr: '',
      exitstatus: 0,
      logfile: '/l/web.out',
      stdout_logfile: '/l/web.out',
      stderr_logfile: '/l/web.err',
      pid: 4242,
      description: 'pid 4242, uptime 1:02:03',
    });
  });

  it.each([
    [{ state: 'starting', attempt: 1, since: '2026-12-01T11:02:00.000Z' }, null, 'STARTING'],
    [{ state: 'backoff', attempt: 2, nextAttemptAt: '2026-12-01T11:02:05.000Z', delayMs: 2000 }, { by: 'crash' }, 'BACKOFF'],
    [{ state: 'gave-up', afterRestarts: 3, since: '2026-12-01T11:00:00.000Z' }, { by: 'crash' }, 'FATAL'],
    [{ state: 'stopped-by-user', since: '2026-12-01T11:00:00.000Z' }, { by: 'user' }, 'STOPPED'],
    [{ state: 'not-running', since: '2026-12-01T11:00:00.000Z', why: 'autorestart=False' }, { by: 'crash' }, 'EXITED'],
    [{ state: 'not-running', since: '2026-12-01T11:00:00.000Z', why: 'autostart=False' }, null, 'STOPPED'],
    [{ state: 'not-managed', why: 'disabled' }, null, 'STOPPED'],
  ] as const)('maps %j to %s', (state, cause, name) => {
    const view = {
      ...base,
      process: null,
      state,
      lastExit: cause ? { at: '2026-12-01T11:00:00.000Z', pid: 1, exitCode: 3, signal: null, upMs: 60_000, cause } : null,
    } as ProgramView;
    const info = processInfo(view, now);
    expect(info.statename).toBe(name);
    expect(info.state).toBe(ProcessStates[name]);
    if (name === 'FATAL') expect(info.description).toMatch(/^gave up after 3 start attempts/);
    if (name === 'EXITED') expect(info).toMatchObject({ exitstatus: 3, stop: Date.parse('2026-12-01T11:00:00Z') / 1000, description: expect.stringMatching(/^Dec 01 \d\d:00 [AP]M$/) });
    if (!cause && name === 'STOPPED') expect(info.description).toBe('Not started');
  });

  it("an unmanaged program that runs is RUNNING (the truth, not the supervision's view)", () => {
    expect(processInfo({ ...base, state: { state: 'not-managed', why: 'no-autostart-no-autorestart' } }, now).statename).toBe('RUNNING');
  });

  it("formats uptime as Python's timedelta", () => {
    expect(formatUptime(5)).toBe('0:00:05');
    expect(formatUptime(86400 + 61)).toBe('1 day, 0:01:01');
    expect(formatUptime(3 * 86400)).toBe('3 days, 0:00:00');
    expect(describeProcess({ state: 200, start: 0, stop: 0, now: 0, pid: 0, spawnerr: '', name: 'x' })).toBe('unknown error (try "tail x")');
  });
});

describe('groupOf', () => {
  it('is the program for a program, NAME for its instance NAME@k', () => {
    expect(groupOf('web')).toBe('web');
    expect(groupOf('worker@12')).toBe('worker');
  });
});
