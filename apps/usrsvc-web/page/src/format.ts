import type { LastExit, MonitorVerdict, ProgramState, ProgramView } from '@usrsvc/api';
import { formatDuration as duration, formatMemory as memory } from '@usrsvc/api/format';
import { unmanagedWords, viewStatus } from '@usrsvc/api/status';

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

/** The CLI's formatters: one way to write an uptime and a memory size. */
export { duration, memory };

export function lastExitWords(exit: LastExit): string {
  const how = exit.signal ? `killed by ${exit.signal}` : exit.exitCode !== null ? `exit code ${exit.exitCode}` : 'exited';
  const cause = exit.cause;
  const why =
    cause.by === 'crash'
      ? 'crash'
      : cause.by === 'expected'
        ? 'expected exit'
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
