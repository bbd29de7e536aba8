import type { DaemonView, ProgramState, ProgramView } from '@usrsvc/api';

export function daemonView(overrides: Partial<DaemonView> = {}): DaemonView {
  return {
    pid: 4242,
    version: '0.1.0',
    startedAt: '2026-11-29T08:00:00.000Z',
    user: 'web',
    host: 'host1',
    exitWatch: { mode: 'pidfd' },
    configFiles: ['/home/web/usrsvc.cfg'],
    socket: '/run/user/1000/usrsvc/api.sock',
    lastReread: null,
    ...overrides,
  };
}

export function programView(name: string, state: ProgramState, overrides: Partial<ProgramView> = {}): ProgramView {
  const running = state.state === 'running';
  return {
    name,
    enabled: true,
    autoStart: true,
    autoRestart: true,
    maxRestarts: 0,
    state,
    running,
    restarts: 0,
    startAttempts: 0,
    restartCounts: { crash: 0, monitor: 0, watchdog: 0, manual: 0, change: 0 },
    process: running
      ? {
          pid: state.pid,
          cmdline: `/usr/bin/${name}`,
          argv: [`/usr/bin/${name}`],
          startTime: '2026-11-29T08:00:01.500Z',
          uptimeSeconds: 60,
          rssKb: 2048,
          foundBy: 'launch',
        }
      : null,
    lastExit: null,
    monitors: [],
    leftovers: [],
    stdout: `/home/web/logs/${name}.out`,
    stderr: `/home/web/logs/${name}.out`,
    settings: { directory: null, envFiles: [], limits: {}, umask: null, nice: null, autoRestart: 'always', exitCodes: [0], reloadSignal: null, restartOnChange: [], restartOnChangeIgnore: [] },
    ...overrides,
  };
}

const since = '2026-11-29T08:00:02.000Z';

/** One program in each API state. */
export function everyState(): ProgramView[] {
  return [
    programView('web', { state: 'running', pid: 1001, since }, { restartCounts: { crash: 3, monitor: 1, watchdog: 0, manual: 2, change: 4 } }),
    programView('worker', { state: 'starting', attempt: 1, since }),
    programView('cron', { state: 'stopping', reason: 'rss 3000 kB over 2048 kB', since }),
    programView('flappy', { state: 'backoff', attempt: 2, nextAttemptAt: since, delayMs: 1000 }),
    programView('broken', { state: 'gave-up', afterRestarts: 5, since }),
    programView('paused', { state: 'stopped-by-user', since }),
    programView('oneshot', { state: 'not-running', since, why: 'exited; autorestart=False' }),
    programView('old', { state: 'not-managed', why: 'disabled' }, { enabled: false }),
    programView('manual', { state: 'not-managed', why: 'no-autostart-no-autorestart' }),
  ];
}
