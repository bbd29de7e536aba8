import type { StopWatching } from './types.js';

/**
 * For a process found already gone when the watch starts: calls back on the next turn of the
 * event loop, so that `watchExit` returns its handle first and `close()` can still cancel.
 */
export function exitSoon(onExit: () => void): StopWatching {
  const immediate = setImmediate(onExit);
  return () => clearImmediate(immediate);
}
