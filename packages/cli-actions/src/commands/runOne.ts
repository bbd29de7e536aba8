import { dependentsOf, type ProgramConfig, type UsrsvcConfig } from '@usrsvc/config';
import { type LaunchContext, runProgramAction } from '@usrsvc/launcher';
import { printResult } from '../formatResult.js';
import type { Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import { type DaemonPrograms, type ReadDaemonPrograms, readDaemonPrograms, withDaemonView } from '../daemonView.js';
import { daemonDetailLines } from '../daemonState.js';
import { type ResultJson, resultJson } from '../resultJson.js';
import type { ProgramResult } from '../programResult.js';
import { dependencyFailed, inDependencyOrder, isFailure } from './dependencies.js';
import { debugError } from './debugError.js';

/** `usrsvc ACTION NAME`: exits with the action's own code, as the original did. */
export async function runOne(
  invocation: Invocation & { target: string },
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
  daemonPrograms: ReadDaemonPrograms = readDaemonPrograms,
): Promise<number> {
  const program = config.programs.get(invocation.target);
  const daemon = program && invocation.action === 'status' ? daemonPrograms(ctx.env ?? process.env, [invocation.target]) : undefined;
  const result = await actOnProgram(invocation, { name: invocation.target, program }, config, ctx, printer);
  const views = await daemon;
  const json = withDaemonView(resultJson(result), views);
  if (invocation.json) {
    printer.out(JSON.stringify(json, null, 2));
    if (!program) printResult(printer, result);
  } else {
    printOneResult(printer, result, json, views);
  }
  return result.code;
}

/**
 * One program's action as `usrsvc ACTION NAME` does it: a start or restart starts its
 * depends_on first (unless --no-deps), a stop or restart warns about its dependents.
 */
export async function actOnProgram(
  invocation: Invocation,
  target: { name: string; program: ProgramConfig | undefined },
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
): Promise<ProgramResult> {
  const { program } = target;
  const starts = invocation.action === 'start' || invocation.action === 'restart';
  if (program && starts && program.enabled && program.dependsOn.length > 0 && !invocation.noDeps) {
    const deps = await inDependencyOrder(config, program.dependsOn, { withDependencies: true, parallel: invocation.parallel }, async (dep) => {
      const depResult = await runProgramAction({ name: dep.name, program: dep }, 'start', ctx, debugError(printer));
      if (!invocation.json && depResult.code !== 0) printResult(printer, depResult);
      return depResult;
    });
    const failed = program.dependsOn.map((name) => deps.get(name)).find(isFailure);
    if (failed) return { ...dependencyFailed(program, failed), action: invocation.action };
  }
  if (program && (invocation.action === 'stop' || invocation.action === 'restart')) {
    const dependents = dependentsOf(config.programs, program.name);
    if (dependents.length > 0 && !invocation.json) {
      printer.logErr(`warning: ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on ${program.name} and ${dependents.length === 1 ? 'is' : 'are'} left as they are`);
    }
  }
  return runProgramAction(target, invocation.action, ctx, debugError(printer), invocation);
}

/** A result as log lines, with usrsvcd's view of the program under it when there is one. */
export function printOneResult(printer: Printer, result: ProgramResult, json: ResultJson, views: DaemonPrograms | undefined): void {
  printResult(printer, result);
  if (json.usrsvcd) for (const line of daemonDetailLines(json.usrsvcd)) printer.out(line);
  else if (views && !views.running) printer.err(`usrsvcd is not running (${views.why}).`);
}
