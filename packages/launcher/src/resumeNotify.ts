import { LockTimeoutError } from './errors.js';
import type { LaunchContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { NotifyListener, notifySocketPath } from './NotifyListener.js';
import { withProgramLock } from './programLock.js';

/**
 * Listens again on the notify socket of a running ready_check = notify program that someone else
 * launched or listened for (a `usrsvc start`, an usrsvcd that was killed): binds its stable path
 * (stateDir/notify/NAME.sock, the NOTIFY_SOCKET in the program's environment), replacing the
 * stale socket there, and keeps its last READY/STATUS/MAINPID. Undefined while a start or stop
 * holds the program's lock (a start binds the path itself while it waits for READY=1): try later.
 */
export async function resumeNotify(program: Pick<LauncherProgram, 'name'>, ctx: LaunchContext, running: { pid: number }): Promise<NotifyListener | undefined> {
  const resolved = resolveContext({ ...ctx, lockTimeoutMs: 0 });
  try {
    return await withProgramLock(program, resolved, async () => new NotifyListener(program.name, resolved, notifySocketPath(program.name, resolved), running));
  } catch (error) {
    if (error instanceof LockTimeoutError) return undefined;
    throw error;
  }
}
