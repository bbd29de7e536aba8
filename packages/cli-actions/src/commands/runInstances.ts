import type { ProgramConfig, UsrsvcConfig } from '@usrsvc/config';
import { actionExitCode, type LaunchContext, ReturnCodes } from '@usrsvc/launcher';
import type { Invocation } from '../invocation.js';
import type { Printer } from '../printer.js';
import { type ReadDaemonPrograms, readDaemonPrograms, withDaemonView } from '../daemonView.js';
import { type ResultJson, resultJson } from '../resultJson.js';
import type { ProgramResult } from '../programResult.js';
import { actOnProgram, printOneResult } from './runOne.js';

/**
 * `usrsvc ACTION NAME` where NAME has instances: the action on NAME@0 .. NAME@N-1, one after
 * another (with -P at once), each printed as `usrsvc ACTION NAME@k` prints it. `restart --rolling`
 * restarts one instance at a time, each only once the previous one is up again (its start waited
 * for success_seconds, or ready), and stops at the first that fails, so at most one is ever down.
 * Exits with the instances' code when they agree, else the first failure's.
 */
export async function runInstances(
  invocation: Invocation & { target: string },
  instances: readonly ProgramConfig[],
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
  daemonPrograms: ReadDaemonPrograms = readDaemonPrograms,
): Promise<number> {
  const daemon = invocation.action === 'status' ? daemonPrograms(ctx.env ?? process.env, instances.map((program) => program.name)) : undefined;
  const jsons: ResultJson[] = [];
  const act = async (program: ProgramConfig) => {
    const result = await actOnProgram(invocation, { name: program.name, program }, config, ctx, printer);
    const json = withDaemonView(resultJson(result), await daemon);
    jsons.push(json);
    if (!invocation.json) printOneResult(printer, result, json, undefined);
    return result;
  };
  const rolling = invocation.action === 'restart' && invocation.rolling === true;
  const results: ProgramResult[] = [];
  if (invocation.parallel && !rolling) {
    results.push(...(await Promise.all(instances.map(act))));
  } else {
    for (const [index, program] of instances.entries()) {
      const result = await act(program);
      results.push(result);
      if (!rolling) continue;
      if (result.code !== ReturnCodes.SUCCESS) {
        const left = instances.slice(index + 1).map((p) => p.name);
        if (left.length > 0) printer.logErr(`rolling restart of ${invocation.target} stopped: ${program.name} failed; ${left.join(', ')} left as they are`);
        break;
      }
      if (!invocation.json) printer.logMsg(`rolling restart of ${invocation.target}: ${program.name} is up again (${index + 1}/${instances.length})`);
    }
  }
  const views = await daemon;
  if (invocation.json) printer.out(JSON.stringify(jsons.sort((a, b) => order(a) - order(b)), null, 2));
  else if (views && !views.running) printer.err(`usrsvcd is not running (${views.why}).`);
  return actionExitCode(invocation.target, results);

  function order(json: ResultJson): number {
    return instances.findIndex((program) => program.name === json.name);
  }
}
