import { loadAddon, type PidfdBinding } from './addon.js';
import type { ExitWatchModeInfo, WatchExitOptions } from './types.js';

export const MODE_ENV = 'USRSVC_EXITWATCH';

/** The mode `watchExit` uses with these options (read from the environment on every call). */
export function exitWatchMode(options: Pick<WatchExitOptions, 'mode'> = {}): ExitWatchModeInfo {
  const resolved = resolveMode(options);
  return resolved.binding ? { mode: 'pidfd' } : { mode: 'poll', reason: resolved.reason };
}

export function resolveMode(
  options: Pick<WatchExitOptions, 'mode'>,
): { binding: PidfdBinding } | { binding?: undefined; reason: string } {
  if (options.mode === 'poll') return { reason: 'polling forced by the mode option' };
  if (process.env[MODE_ENV] === 'poll') return { reason: `polling forced by ${MODE_ENV}=poll` };
  return loadAddon();
}
