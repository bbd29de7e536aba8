import type { LastExit, MonitorVerdict, ProgramView } from '@usrsvc/api';
import { formatDuration } from '@usrsvc/api/format';
import { unmanagedWords } from '@usrsvc/api/status';

const ago = (iso: string, now: number) => formatDuration(Math.max(0, (now - Date.parse(iso)) / 1000));

/** How the program ended, in a few words: "exit 1", "SIGKILL", "failed to start (137)". */
export function describeExitStatus(exit: LastExit): string | undefined {
  if (exit.signal) return exit.signal;
  if (exit.exitCode !== null) return `exit ${exit.exitCode}`;
  if (exit.cause.by === 'start-failed') return `failed to start (${exit.cause.code})`;
  return undefined;
}

/** The STATE cell when usrsvcd runs: "backoff, next in 4 s", "gave up after 5 start attempts (exit 1)"... */
export function describeDaemonState(view: ProgramView, now = Date.now()): string {
  const base = describeState(view, now);
  // "starting (waiting for tcp://127.0.0.1:6379, 4 s)", "stopped (waiting for db (backoff))"
  const waiting = view.readiness?.waitingFor;
  return waiting && view.state.state !== 'running' ? `${base} (${waiting})` : base;
}

function describeState(view: ProgramView, now: number): string {
  const { state } = view;
  switch (state.state) {
    case 'running':
    case 'starting':
      return state.state;
    case 'stopping':
      return state.reason.startsWith('restart_on_change:') ? 'restarting (change)' : 'restarting (monitor)';
    case 'backoff':
      return `backoff, next in ${Math.max(0, Math.ceil((Date.parse(state.nextAttemptAt) - now) / 1000))} s`;
    case 'gave-up': {
      const how = view.lastExit ? describeExitStatus(view.lastExit) : undefined;
      return `gave up after ${state.afterRestarts} start attempts${how ? ` (${how})` : ''}`;
    }
    case 'stopped-by-user':
      return `stopped by user ${ago(state.since, now)} ago`;
    case 'not-running':
      return state.why.startsWith('exited (expected') ? state.why : 'stopped';
    case 'not-managed':
      return unmanagedWords(view) ?? 'not managed';
  }
}

const CAUSES: Record<LastExit['cause']['by'], string> = { crash: 'crashed', expected: 'exited as expected (exit_codes)', monitor: 'restarted by a monitor', user: 'stopped by the user', 'start-failed': 'failed to start' };

/** "Last exit: pid 4242 exit 1 after 3s, crashed, 2m ago". */
export function describeLastExit(exit: LastExit, now = Date.now()): string {
  const how = describeExitStatus(exit);
  const parts = [
    exit.pid !== null ? `pid ${exit.pid}` : undefined,
    how,
    exit.upMs !== null ? `after ${formatDuration(exit.upMs / 1000)}` : undefined,
  ].filter(Boolean);
  const cause = exit.cause.by === 'monitor' ? `restarted by monitor ${exit.cause.monitor}: ${exit.cause.reason}` : CAUSES[exit.cause.by];
  return `Last exit: ${parts.join(' ')}${parts.length > 0 ? ', ' : ''}${cause}, ${ago(exit.at, now)} ago`;
}

/** "Monitor rss: ok (checked 5s ago)". */
export function describeVerdict(verdict: MonitorVerdict, now = Date.now()): string {
  return `Monitor ${verdict.monitor}: ${verdict.verdict}${verdict.detail ? ` (${verdict.detail})` : ''}, checked ${ago(verdict.checkedAt, now)} ago`;
}

/** The lines `usrsvc status NAME` adds when usrsvcd runs. */
export function daemonDetailLines(view: ProgramView, now = Date.now()): string[] {
  return [
    `usrsvcd: ${describeDaemonState(view, now)}; ${view.restarts} restart${view.restarts === 1 ? '' : 's'}, ${view.startAttempts} start attempt${view.startAttempts === 1 ? '' : 's'} counted toward maxrestarts`,
    ...(view.lastExit ? [describeLastExit(view.lastExit, now)] : []),
    ...view.monitors.map((verdict) => describeVerdict(verdict, now)),
  ];
}
