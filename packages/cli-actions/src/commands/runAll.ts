import type { ProgramConfig, UsrsvcConfig } from '@usrsvc/config';
import { actionExitCode, actionTargets, failedResults, type LaunchContext, ReturnCodes, returnCodeName, runProgramAction } from '@usrsvc/launcher';
import { printResult } from '../formatResult.js';
import type { Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import { resultJson } from '../resultJson.js';
import { inDependencyOrder } from './dependencies.js';
import { debugError } from './debugError.js';
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
  const targets = actionTargets(config.programs, 'all');
  // At most one process-table scan serves every status; other actions change the table as they go.
  const actionCtx = action === 'status' ? statusContext(ctx) : ctx;

  const act = async (target: { name: string; program: ProgramConfig | undefined }): Promise<ProgramResult> => {
    const result = await runProgramAction(target, action, actionCtx, debugError(printer), invocation);
    if (!invocation.json) {
      if (result.code === ReturnCodes.PROGRAM_DISABLED) printer.logMsg(`${target.name} is disabled in config: skipped.`);
      else printResult(printer, result);
    }
    return result;
  };

  const results: ProgramResult[] = [];
  if (action !== 'status') {
    // Starts follow depends_on (dependencies first), stops reverse it; -P runs each layer at once.
    const names = targets.map((target) => target.name);
    const done = await inDependencyOrder(config, names, { withDependencies: false, parallel: invocation.parallel, reverse: action === 'stop' }, (program) => act({ name: program.name, program }));
    for (const name of names) results.push(done.get(name)!);
  } else if (invocation.parallel) {
    results.push(...(await Promise.all(targets.map(act))));
  } else {
    for (const target of targets) results.push(await act(target));
  }

  if (invocation.json) printer.out(JSON.stringify(results.map((result) => resultJson(result)), null, 2));
  const failures = failedResults(results);
  for (const failure of failures) {
    printer.logErr(
      `${failure.name} failed to ${action} with error ${failure.code} (${returnCodeName(failure.code)})`,
    );
  }
  return actionExitCode('all', results);
}
