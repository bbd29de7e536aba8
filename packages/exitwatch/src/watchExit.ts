import { ExitWatchError } from './errors.js';
import { resolveMode } from './mode.js';
import { pidfdWatch } from './pidfdWatcher.js';
import { DEFAULT_POLL_INTERVAL_MS, pollWatch } from './pollWatcher.js';
import { invokeCallback } from './reportError.js';
import type { ExitWatch, ProcessIdentity, StopWatching, WatchExitOptions } from './types.js';

/**
 * Calls `onExit` once when the process `identity` names exits (a zombie counts as exited).
 * A stale identity (the process is gone, or its pid now names another process) is reported as
 * exited on the next turn of the event loop. Never throws for a process state; throws
 * `ExitWatchError` for arguments that are not an identity or a function.
 */
export function watchExit(
  identity: ProcessIdentity,
  onExit: () => void,
  options: WatchExitOptions = {},
): ExitWatch {
  validate(identity, onExit, options);
  const intervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const keepAlive = options.keepAlive ?? false;
  const target: ProcessIdentity = { pid: identity.pid, startTicks: identity.startTicks };

  let done = false;
  let stop: StopWatching = () => {};
  const finish = () => {
    if (done) return;
    done = true;
    stop();
    invokeCallback(onExit);
  };
  const poll = (): StopWatching => pollWatch(target, finish, intervalMs, keepAlive);

  const mode = resolveMode(options);
  stop = mode.binding ? pidfdWatch(mode.binding, target, finish, keepAlive, poll) : poll();
  if (done) stop(); // cannot happen today (callbacks are asynchronous); cheap insurance

  return {
    close() {
      if (done) return;
      done = true;
      stop();
    },
  };
}

function validate(identity: ProcessIdentity, onExit: () => void, options: WatchExitOptions): void {
  const pid = (identity as Partial<ProcessIdentity> | undefined)?.pid;
  if (!Number.isSafeInteger(pid) || (pid as number) <= 0) {
    throw new ExitWatchError(`watchExit needs a process identity with a positive integer pid, got ${String(pid)}`, pid);
  }
  if (!Number.isFinite(identity.startTicks) || identity.startTicks < 0) {
    throw new ExitWatchError(`watchExit: pid ${pid} has an invalid startTicks ${String(identity.startTicks)}`, pid);
  }
  if (typeof onExit !== 'function') {
    throw new ExitWatchError(`watchExit: onExit for pid ${pid} is not a function`, pid);
  }
  const interval = options.pollIntervalMs;
  if (interval !== undefined && (!Number.isFinite(interval) || interval < 1 || interval > 2_147_483_647)) {
    throw new ExitWatchError(`watchExit: pollIntervalMs must be a number of milliseconds >= 1, got ${interval}`, pid);
  }
}
