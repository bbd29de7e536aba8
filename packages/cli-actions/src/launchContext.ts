import { type LaunchContext, lockTimeoutFromEnv } from '@usrsvc/launcher';
import type { Printer } from './printer.js';

/**
 * The launcher's context for one CLI run. USRSVC_LOCK_TIMEOUT (seconds) shortens the wait for a
 * busy program lock, mostly for tests and scripts that prefer a quick TRY_AGAIN (11).
 */
export function makeLaunchContext(env: NodeJS.ProcessEnv, printer: Printer): LaunchContext {
  const ctx: LaunchContext = {
    env,
    uid: process.getuid?.(),
    logger: {
      debug: (message) => printer.debug(message),
      info: (message) => printer.debug(message),
      warn: (message) => printer.logErr(`${printer.errColors.yellow('warning:')} ${message}`),
      error: (message) => printer.logErr(printer.errColors.red(message)),
    },
  };
  const lockTimeoutMs = lockTimeoutFromEnv(env);
  if (lockTimeoutMs !== undefined) ctx.lockTimeoutMs = lockTimeoutMs;
  return ctx;
}
