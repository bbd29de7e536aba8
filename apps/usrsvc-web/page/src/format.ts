import type { LastExit, MonitorVerdict, ProgramState, ProgramView } from '@usrsvc/api';
import { viewStatus, unmanagedWords } from '@usrsvc/api/status';

/** The state in words, as a person reads it. */
export function stateWords(program: Pick<ProgramView, 'state' | 'process'>, now: number): string {
  const { state } = program;
  switch (state.state) {
    case 'running':
      return 'running';
    case 'starting':
      return state.attempt > 1 ? `starting (attempt ${state.attempt})` : 'starting';
    case 'stopping':
      return `stopping: ${state.reason}`;
    case 'backoff': {
      const seconds = Math.max(0, Math.ceil((Date.parse(state.nextAttemptAt) - now) / 1000));
      return `backoff: next attempt ${state.attempt} in ${seconds} s`;
    }
    case 'gave-up':
      return `gave up after ${state.afterRestarts} start attempts`;
    case 'stopped-by-user':
      return 'stopped by user';
    case 'not-running':
      return `not running: ${state.why}`;
    case 'not-managed':
      return unmanagedWords(program) ?? 'not managed';
  }
}

/** The colour class: ok, busy, warn, bad, idle. */
export function stateTone(program: Pick<ProgramView, 'state' | 'process'>): string {
  const state: ProgramState = program.state;
  if (state.state === 'not-managed') return viewStatus(program).running ? 'ok' : 'idle';
  switch (state.state) {
    case 'running':
      return 'ok';
    case 'starting':
    case 'stopping':
      return 'busy';
    case 'backoff':
      return 'warn';
    case 'gave-up':
      return 'bad';
    default:
      return 'idle';
  }
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.floor(seconds % 60)}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

export function memory(kb: number): string {
  if (kb < 1024) return `${kb} kB`;
  if (kb < 1024 * 1024) return `${(kb / 1024).toFixed(1)} MB`;
  return `${(kb / 1024 / 1024).toFixed(2)} GB`;
}

export function lastExitWords(exit: LastExit): string {
  const how = exit.signal ? `killed by ${exit.signal}` : exit.exitCode !== null ? `exit code ${exit.exitCode}` : 'exited';
  const cause = exit.cause;
  const why =
    cause.by === 'crash'
      ? 'crash'
      : cause.by === 'user'
        ? 'stopped by user'
        : cause.by === 'monitor'
          ? `monitor ${cause.monitor}: ${cause.reason}`
          : `failed to start: ${cause.outcome}`;
  const up = exit.upMs !== null ? ` after ${duration(exit.upMs / 1000)}` : '';
  return `${how}${up} (${why})${exit.pid !== null ? `, pid ${exit.pid}` : ''}`;
}

export function verdictWords(verdict: MonitorVerdict): string {
  return verdict.detail ? `${verdict.monitor}: ${verdict.verdict} (${verdict.detail})` : `${verdict.monitor}: ${verdict.verdict}`;
}

export function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
