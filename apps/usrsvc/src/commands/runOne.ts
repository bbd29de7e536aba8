import type { UsrsvcConfig } from '@usrsvc/config';
import type { LaunchContext } from '@usrsvc/launcher';
import { printResult } from '../formatResult.js';
import type { Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import { resultJson } from '../resultJson.js';
import { runProgramAction, undefinedProgramResult } from './runProgramAction.js';

/** `usrsvc ACTION NAME`: exits with the action's own code, as the original did. */
export async function runOne(
  invocation: Invocation & { target: string },
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
): Promise<number> {
  const program = config.programs.get(invocation.target);
  const result = program
    ? await runProgramAction(invocation.action, program, ctx, printer)
    : undefinedProgramResult(invocation.target, invocation.action);
  if (invocation.json) {
    printer.out(JSON.stringify(resultJson(result), null, 2));
    if (!program) printResult(printer, result);
  } else {
    printResult(printer, result);
  }
  return result.code;
}
