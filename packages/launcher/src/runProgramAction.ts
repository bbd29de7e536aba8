import type { Action, ActionResult } from './ActionResult.js';
import { LockTimeoutError } from './errors.js';
import type { LaunchContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { programStatus } from './programStatus.js';
import { resolveProgramName, signalName } from '@usrsvc/config';
import { restartProgram } from './restartProgram.js';
import { reloadProgram, signalProgram } from './signalProgram.js';
import { ReturnCodes } from './returnCodes.js';
import { startProgram } from './startProgram.js';
import { stopProgram } from './stopProgram.js';
import { isStoppedByUser } from './userStopMark.js';

/**
 * One action a person asked for (the CLI, usrsvcd's API, usrsvc-web), the same on every surface:
 * `byUser` (a stop marks the program stopped by the user, a start or restart clears the mark), a
 * status that is not running says when the user stopped it, and it never throws: an unknown
 * program is PROGRAM_UNDEFINED (133, `undefined`), a busy lock TRY_AGAIN (11, `lock-timeout`),
 * anything else UNKNOWN_FAILURE (254, `error`; `onError` sees the error), so that `all` goes on.
 */
export async function runProgramAction(
  target: { name: string; program: LauncherProgram | undefined },
  action: Action,
  ctx: LaunchContext,
  onError?: (error: unknown) => void,
  /** `signal`: the signal's name as typed (HUP, SIGUSR2), and whether to the whole tree. */
  signalling: { signal?: string | undefined; group?: boolean | undefined } = {},
): Promise<ActionResult> {
  const { name, program } = target;
  if (!program) return undefinedProgramResult(name, action);
  try {
    switch (action) {
      case 'status':
        return withStopMark(await programStatus(program, ctx), ctx);
      case 'stop':
        return await stopProgram(program, ctx, { byUser: true });
      case 'start':
        return await startProgram(program, ctx, { byUser: true });
      case 'restart':
        return await restartProgram(program, ctx, { byUser: true });
      case 'reload':
        return await reloadProgram(program, ctx);
      case 'signal': {
        const signal = signalName(signalling.signal ?? '');
        if (!signal) {
          const message = `unknown signal ${JSON.stringify(signalling.signal ?? '')}: use a name such as HUP, TERM or USR2`;
          return { name, action, code: ReturnCodes.INVALID_ACTION, outcome: 'error', message };
        }
        return await signalProgram(program, signal, ctx, { group: signalling.group === true });
      }
    }
  } catch (error) {
    if (error instanceof LockTimeoutError) {
      return { name, action, code: ReturnCodes.TRY_AGAIN, outcome: 'lock-timeout', message: error.message };
    }
    onError?.(error);
    const detail = error instanceof Error ? error.message : String(error);
    return { name, action, code: ReturnCodes.UNKNOWN_FAILURE, outcome: 'error', message: `unexpected error: ${detail}` };
  }
}

export function undefinedProgramResult(name: string, action: Action): ActionResult {
  return { name, action, code: ReturnCodes.PROGRAM_UNDEFINED, outcome: 'undefined', message: `No such program: ${name}` };
}

/** A program that is not running because `usrsvc stop` stopped it says so. */
function withStopMark(result: ActionResult, ctx: LaunchContext): ActionResult {
  if (result.code === ReturnCodes.SUCCESS || !isStoppedByUser(result.name, ctx)) return result;
  return { ...result, outcome: 'stopped-by-user', message: `${result.message} (stopped by user)` };
}

/**
 * What an action applies to: `all` is every program in config order (disabled ones included:
 * start and restart answer them PROGRAM_DISABLED, which is no failure); a name is that program,
 * or every instance NAME@k of a program with instances, or undefined in `program` when there is none.
 */
export function actionTargets<P extends { name: string; instanceOf?: string | undefined }>(
  programs: ReadonlyMap<string, P>,
  target: string,
): Array<{ name: string; program: P | undefined }> {
  if (target === 'all') return [...programs.values()].map((program) => ({ name: program.name, program }));
  const found = resolveProgramName(programs, target);
  if (found.length === 0) return [{ name: target, program: undefined }];
  return found.map((program) => ({ name: program.name, program }));
}

/** The results that count as failures of `all`: every code but SUCCESS and PROGRAM_DISABLED. */
export function failedResults<R extends Pick<ActionResult, 'code'>>(results: readonly R[]): R[] {
  return results.filter((result) => result.code !== ReturnCodes.SUCCESS && result.code !== ReturnCodes.PROGRAM_DISABLED);
}

/**
 * The exit code of an action: one program's own code, as the original (of a program with
 * instances, theirs when they agree, else the first failure's); for `all`,
 * GENERAL_FAILURE (1) when any program failed, else SUCCESS.
 */
export function actionExitCode(target: string, results: ReadonlyArray<Pick<ActionResult, 'code'>>): number {
  if (target !== 'all') {
    // NAME of a program with instances: their code when they agree, else the first failure's.
    const first = results[0]?.code ?? ReturnCodes.PROGRAM_UNDEFINED;
    return results.every((result) => result.code === first) ? first : (failedResults(results)[0]?.code ?? ReturnCodes.SUCCESS);
  }
  return failedResults(results).length > 0 ? ReturnCodes.GENERAL_FAILURE : ReturnCodes.SUCCESS;
}
