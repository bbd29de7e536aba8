import type { ActionResult } from './ActionResult.js';
import { ensureActionAllowed } from './ensureActionAllowed.js';
import type { LaunchContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { withProgramLock } from './programLock.js';
import { ReturnCodes } from './returnCodes.js';
import { type StartOptions, startLocked } from './startProgram.js';
import { stopLocked } from './stopProgram.js';
import { isStoppedByUser } from './userStopMark.js';

/** Stop then start, under one hold of the lock. The result is the start's, or the failed stop's. */
export async function restartProgram(program: LauncherProgram, ctx?: LaunchContext, options: StartOptions = {}): Promise<ActionResult> {
  const refused = ensureActionAllowed(program, 'restart');
  if (refused) return refused;
  const resolved = resolveContext(ctx);
  return withProgramLock(program, resolved, async () => {
    if (!options.byUser && options.unlessStoppedByUser && isStoppedByUser(program.name, resolved)) {
      return {
        name: program.name,
        action: 'restart',
        code: ReturnCodes.SUCCESS,
        outcome: 'stopped-by-user',
        message: `${program.name} was stopped by the user; not restarting it`,
      };
    }
    const stopped = await stopLocked(program, resolved, {});
    if (stopped.outcome === 'stop-failed') return { ...stopped, action: 'restart' };
    const started = await startLocked(program, resolved, { ...options, unlessStoppedByUser: false });
    return { ...started, action: 'restart', message: `${stopped.message}; ${started.message}` };
  });
}
