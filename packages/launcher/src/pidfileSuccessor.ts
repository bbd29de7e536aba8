import type { RunningProcess } from './ActionResult.js';
import { checkPidfile } from './findRunningProgram.js';
import type { LaunchContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';

/**
 * A program that re-executes itself on a signal (nginx and gunicorn on USR2) writes its new
 * master's PID to its own pidfile (autopid = False): when the process usrsvcd watched exits, the
 * live process the pidfile now names, if it is another one, is the program, followed rather than
 * restarted. Undefined with autopid (the pidfile is ours) or when the pidfile names no live match.
 */
export function pidfileSuccessor(program: LauncherProgram, gone: { pid: number }, ctx?: LaunchContext): RunningProcess | undefined {
  if (program.autoPid) return undefined;
  const found = checkPidfile(program, resolveContext(ctx));
  return found && found.pid !== gone.pid ? found : undefined;
}
