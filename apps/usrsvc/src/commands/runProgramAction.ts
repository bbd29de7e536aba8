import type { ProgramConfig } from '@usrsvc/config';
import {
  type LaunchContext,
  LockTimeoutError,
  ReturnCodes,
  isStoppedByUser,
  programStatus,
  reloadProgram,
  restartProgram,
  signalProgram,
  startProgram,
  stopProgram,
} from '@usrsvc/launcher';
import { signalName } from '@usrsvc/config';
import type { Action, Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import type { ProgramResult } from '../programResult.js';

/**
 * One action on one configured program, never throwing: a busy lock becomes TRY_AGAIN and an
 * unexpected error UNKNOWN_FAILURE, so that `all` can go on with the next program.
 * The launcher refuses start/restart of a disabled program (132) and does the user's stop marks:
 * `byUser` marks a stop (usrsvcd leaves the program stopped) and clears the mark on start/restart.
 */
export async function runProgramAction(
  action: Action,
  program: ProgramConfig,
  ctx: LaunchContext,
  printer: Printer,
  extra: Pick<Invocation, 'signal' | 'group'> = {},
): Promise<ProgramResult> {
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
        const signal = signalName(extra.signal ?? '');
        if (!signal) {
          return { name: program.name, action, code: ReturnCodes.INVALID_ACTION, outcome: 'error', message: `unknown signal ${JSON.stringify(extra.signal ?? '')}: use a name such as HUP, TERM or USR2` };
        }
        return await signalProgram(program, signal, ctx, { group: extra.group === true });
      }
    }
  } catch (error) {
    if (error instanceof LockTimeoutError) {
      return { name: program.name, action, code: ReturnCodes.TRY_AGAIN, outcome: 'lock-timeout', message: error.message };
    }
    printer.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return {
      name: program.name,
      action,
      code: ReturnCodes.UNKNOWN_FAILURE,
      outcome: 'error',
      message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** A program that is not running because `usrsvc stop` stopped it says so. */
function withStopMark(result: ProgramResult, ctx: LaunchContext): ProgramResult {
  if (result.code === ReturnCodes.SUCCESS || !isStoppedByUser(result.name, ctx)) return result;
  return { ...result, outcome: 'stopped-by-user', message: `${result.message} (stopped by user)` };
}

export function undefinedProgramResult(name: string, action: Action): ProgramResult {
  return {
    name,
    action,
    code: ReturnCodes.PROGRAM_UNDEFINED,
    outcome: 'undefined',
    message: `No such program: ${name}`,
  };
}
