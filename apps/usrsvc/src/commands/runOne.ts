import type { UsrsvcConfig } from '@usrsvc/config';
import type { LaunchContext } from '@usrsvc/launcher';
import { printResult } from '../formatResult.js';
import type { Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import { readDaemonPrograms, withDaemonView } from '../daemonView.js';
import { daemonDetailLines } from '../daemonState.js';
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
  const daemon = program && invocation.action === 'status' ? readDaemonPrograms(ctx.env ?? process.env) : undefined;
  const result = program
    ? await runProgramAction(invocation.action, program, ctx, printer, invocation)
    : undefinedProgramResult(invocation.target, invocation.action);
  const views = await daemon;
  const json = withDaemonView(resultJson(result), views);
  if (invocation.json) {
    printer.out(JSON.stringify(json, null, 2));
    if (!program) printResult(printer, result);
  } else {
    printResult(printer, result);
    if (json.usrsvcd) for (const line of daemonDetailLines(json.usrsvcd)) printer.out(line);
    else if (views && !views.running) printer.err(`usrsvcd is not running (${views.why}).`);
  }
  return result.code;
}
