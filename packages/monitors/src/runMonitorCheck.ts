import type { Monitor, MonitorVerdict, ProcessInfo } from './MonitorPlugin.js';

/**
 * The result of one check; runMonitorCheck never throws.
 * - ok: the monitor answered `{ restart: false }`.
 * - restart: the monitor answered `{ restart: true, reason }`: restart the program.
 * - error: the check threw, rejected or answered something that is not a MonitorVerdict.
 *   Not a reason to restart (the original logged and tried again next pass).
 * - timeout: no answer within timeoutMs; the check's signal was aborted and its late answer is ignored.
 * `durationMs` is how long the check took (for a timeout: how long runMonitorCheck waited).
 */
export type MonitorOutcome =
  | { kind: 'ok'; monitor: string; durationMs: number }
  | { kind: 'restart'; monitor: string; reason: string; durationMs: number }
  | { kind: 'error'; monitor: string; error: Error; durationMs: number }
  | { kind: 'timeout'; monitor: string; timeoutMs: number; durationMs: number };

export interface RunMonitorCheckContext {
  process: ProcessInfo;
  /** Default Date.now(). */
  now?: number;
  /** Aborts the check early (e.g. the daemon stops); the outcome is then 'timeout'. */
  signal?: AbortSignal;
}

/** The reason a check's signal is aborted with when it runs out of time. */
export class MonitorTimeoutError extends Error {
  readonly code = 'USRSVC_MONITOR_TIMEOUT' as const;
  readonly monitor: string;
  readonly timeoutMs: number;
  constructor(monitor: string, timeoutMs: number) {
    super(`monitor ${monitor} did not answer within ${timeoutMs} ms`);
    this.name = 'MonitorTimeoutError';
    this.monitor = monitor;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Runs one monitor's check with a time limit. After timeoutMs it aborts the check's signal and
 * resolves { kind: 'timeout' } at once, even when the check ignores the signal, so a hung check
 * (a stat on a dead network mount, an HTTP server that never answers) delays nothing else.
 * A check that blocks the event loop synchronously cannot be interrupted by anyone: monitors
 * must use asynchronous I/O.
 */
export function runMonitorCheck(
  monitor: Monitor,
  context: RunMonitorCheckContext,
  timeoutMs: number,
): Promise<MonitorOutcome> {
  const name = typeof monitor?.name === 'string' ? monitor.name : String(monitor?.name);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();

  return new Promise<MonitorOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: MonitorOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      context.signal?.removeEventListener('abort', onParentAbort);
      resolve(outcome);
    };
    const onTimeout = () => {
      controller.abort(new MonitorTimeoutError(name, timeoutMs));
      finish({ kind: 'timeout', monitor: name, timeoutMs, durationMs: elapsed() });
    };
    const onParentAbort = () => {
      controller.abort(context.signal?.reason);
      finish({ kind: 'timeout', monitor: name, timeoutMs, durationMs: elapsed() });
    };
    const timer = setTimeout(onTimeout, Math.max(0, timeoutMs));
    if (context.signal?.aborted) return onParentAbort();
    context.signal?.addEventListener('abort', onParentAbort, { once: true });

    let answer: Promise<MonitorVerdict> | MonitorVerdict;
    try {
      answer = monitor.check({ process: context.process, signal: controller.signal, now: context.now ?? Date.now() });
    } catch (error) {
      return finish({ kind: 'error', monitor: name, error: asError(error), durationMs: elapsed() });
    }
    Promise.resolve(answer).then(
      (verdict) => finish(toOutcome(name, verdict, elapsed())),
      (error: unknown) => finish({ kind: 'error', monitor: name, error: asError(error), durationMs: elapsed() }),
    );
  });
}

function toOutcome(monitor: string, verdict: unknown, durationMs: number): MonitorOutcome {
  if (typeof verdict === 'object' && verdict !== null && 'restart' in verdict) {
    const { restart, reason } = verdict as { restart: unknown; reason?: unknown };
    if (restart === false) return { kind: 'ok', monitor, durationMs };
    if (restart === true) {
      const text = typeof reason === 'string' && reason.trim() !== '' ? reason : `monitor ${monitor} asked for a restart`;
      return { kind: 'restart', monitor, reason: text, durationMs };
    }
  }
  const error = new TypeError(
    `monitor ${monitor} answered ${describe(verdict)}, not { restart: false } or { restart: true, reason }`,
  );
  return { kind: 'error', monitor, error, durationMs };
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(`non-Error thrown: ${describe(error)}`, { cause: error });
}
