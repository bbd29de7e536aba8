import type { ProgramConfig, UsrsvcConfig } from '@usrsvc/config';
import { type LaunchContext, ReturnCodes, returnCodeName } from '@usrsvc/launcher';
import { printResult } from '../formatResult.js';
import type { Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import { resultJson } from '../resultJson.js';
import { inDependencyOrder } from './dependencies.js';
import { runProgramAction } from './runProgramAction.js';
import { statusContext } from './statusContext.js';
import type { ProgramResult } from '../programResult.js';

/**
 * `usrsvc ACTION all`: every program, one after another or (with -P) all at once, going on past
 * failures; then a line per failure on stderr and exit 1 if there was any.
 * Disabled programs are skipped by start/stop/restart rather than counted as failures.
 */
export async function runAll(
  invocation: Invocation,
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
): Promise<number> {
  const { action } = invocation;
  const programs = [...config.programs.values()];
  // At most one process-table scan serves every status; other actions change the table as they go.
  const actionCtx = action === 'status' ? statusContext(ctx) : ctx;

  const act = async (program: ProgramConfig): Promise<ProgramResult> => {
    const result = await runProgramAction(action, program, actionCtx, printer);
    if (!invocation.json) {
      if (result.code === ReturnCodes.PROGRAM_DISABLED) printer.logMsg(`${program.name} is disabled in config: skipped.`);
      else printResult(printer, result);
    }
    return result;
  };

  const results: ProgramResult[] = [];
  if (action !== 'status') {
    // Starts follow depends_on (dependencies first), stops reverse it; -P runs each layer at once.
    const names = programs.map((program) => program.name);
    const done = await inDependencyOrder(config, names, { withDependencies: false, parallel: invocation.parallel, reverse: action === 'stop' }, act);
    for (const name of names) results.push(done.get(name)!);
  } else if (invocation.parallel) {
    results.push(...(await Promise.all(programs.map(act))));
  } else {
    for (const program of programs) results.push(await act(program));
  }

  if (invocation.json) printer.out(JSON.stringify(results.map((result) => resultJson(result)), null, 2));
  const failures = results.filter(
    (result) => result.code !== ReturnCodes.SUCCESS && result.code !== ReturnCodes.PROGRAM_DISABLED,
  );
  for (const failure of failures) {
    printer.logErr(
      `${failure.name} failed to ${action} with error ${failure.code} (${returnCodeName(failure.code)})`,
    );
  }
  return failures.length > 0 ? ReturnCodes.GENERAL_FAILURE : ReturnCodes.SUCCESS;
}
