import { isSameProcess } from '@usrsvc/procscan';
import type { PidfdBinding } from './addon.js';
import { exitSoon } from './exitSoon.js';
import type { ProcessIdentity, StopWatching } from './types.js';

/**
 * Watches `identity` through a pidfd. The identity was taken before the pidfd was opened; the
 * re-check after opening proves the pidfd refers to that very process (a pid reused in between
 * would have another start time), so a watch never follows a different process.
 *
 * `fallback` is used when this one watch cannot use a pidfd (out of descriptors, a poll error).
 */
export function pidfdWatch(
  binding: PidfdBinding,
  identity: ProcessIdentity,
  onExit: () => void,
  keepAlive: boolean,
  fallback: () => StopWatching,
): StopWatching {
  let current: StopWatching = () => {};
  let handle: ReturnType<PidfdBinding['watch']>;
  try {
    handle = binding.watch(
      identity.pid,
      (status) => {
        if (status === 0) onExit();
        else current = fallback();
      },
      keepAlive,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return exitSoon(onExit);
    return fallback();
  }
  const opened = handle;
  if (!isSameProcess(identity)) {
    // Gone, a zombie, or the pid now belongs to another process: report the exit, watch nothing.
    binding.close(opened);
    return exitSoon(onExit);
  }
  current = () => binding.close(opened);
  return () => current();
}
