import { dependentsOf, type UsrsvcConfig } from '@usrsvc/config';
import { type LaunchContext, runProgramAction } from '@usrsvc/launcher';
import { printResult } from '../formatResult.js';
import type { Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import { readDaemonPrograms, withDaemonView } from '../daemonView.js';
import { daemonDetailLines } from '../daemonState.js';
import { resultJson } from '../resultJson.js';
import type { ProgramResult } from '../programResult.js';
import { dependencyFailed, inDependencyOrder, isFailure } from './dependencies.js';
import { debugError } from './debugError.js';

/** `usrsvc ACTION NAME`: exits with the action's own code, as the original did. */
export async function runOne(
  invocation: Invocation & { target: string },
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
): Promise<number> {
  const program = config.programs.get(invocation.target);
  const daemon = program && invocation.action === 'status' ? readDaemonPrograms(ctx.env ?? process.env) : undefined;
  let result: ProgramResult | undefined;
  const starts = invocation.action === 'start' || invocation.action === 'restart';
  if (program && starts && program.enabled && program.dependsOn.length > 0 && !invocation.noDeps) {
    const deps = await inDependencyOrder(config, program.dependsOn, { withDependencies: true, parallel: invocation.parallel }, async (dep) => {
      const depResult = await runProgramAction({ name: dep.name, program: dep }, 'start', ctx, debugError(printer));
      if (!invocation.json && depResult.code !== 0) printResult(printer, depResult);
      return depResult;
    });
    const failed = program.dependsOn.map((name) => deps.get(name)).find(isFailure);
    if (failed) result = { ...dependencyFailed(program, failed), action: invocation.action };
  }
  if (program && (invocation.action === 'stop' || invocation.action === 'restart')) {
    const dependents = dependentsOf(config.programs, program.name);
    if (dependents.length > 0 && !invocation.json) {
      printer.logErr(`warning: ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on ${program.name} and ${dependents.length === 1 ? 'is' : 'are'} left as they are`);
    }
  }
  result ??= await runProgramAction({ name: invocation.target, program }, invocation.action, ctx, debugError(printer), invocation);
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
