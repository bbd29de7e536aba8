import type { ProcessIdentity } from '@usrsvc/procscan';

export type { ProcessIdentity };

/** A running watch. `onExit` is called at most once, and never after `close()`. */
export interface ExitWatch {
  /** Stops watching. Idempotent; safe to call from inside `onExit` or after it ran. */
  close(): void;
}

export interface WatchExitOptions {
  /** Poll mode only: how often the shared timer checks the watched processes. Default 100 ms. */
  pollIntervalMs?: number;
  /**
   * `'auto'` (default) uses pidfd when available, else polls. `'poll'` forces polling, as does
   * the environment variable `USRSVC_EXITWATCH=poll`.
   */
  mode?: 'auto' | 'poll';
  /**
   * Whether this watch alone keeps Node's event loop alive. Default false: a daemon has its own
   * handles (signals, servers, timers), and a watch should not stop a process from exiting.
   */
  keepAlive?: boolean;
}

export interface ExitWatchModeInfo {
  mode: 'pidfd' | 'poll';
  /** Why polling is used; absent in pidfd mode. */
  reason?: string;
}

/** Internal: what each watching mechanism returns. Stopping never calls the callback. */
export type StopWatching = () => void;
