import { dependencyLayers, type ProgramConfig, type UsrsvcConfig } from '@usrsvc/config';
import { ReturnCodes } from '@usrsvc/launcher';
import type { ProgramResult } from '../programResult.js';

/**
 * Runs `act` over programs in dependency layers (what a program depends on before it; each layer
 * at once with `parallel`, else one by one). A program whose dependency failed is not acted on:
 * its result is 137 "dependency NAME failed: ...". With `reverse` (stop), dependents go first.
 */
export async function inDependencyOrder(
  config: UsrsvcConfig,
  names: readonly string[],
  options: { withDependencies: boolean; parallel: boolean; reverse?: boolean },
  act: (program: ProgramConfig) => Promise<ProgramResult>,
): Promise<Map<string, ProgramResult>> {
  const layers = dependencyLayers(config.programs, names, options.withDependencies);
  if (options.reverse) layers.reverse();
  const results = new Map<string, ProgramResult>();
  const one = async (name: string) => {
    const program = config.programs.get(name)!;
    const failed = options.reverse || !program.enabled ? undefined : program.dependsOn.map((dep) => results.get(dep)).find(isFailure);
    results.set(name, failed ? dependencyFailed(program, failed) : await act(program));
  };
  for (const layer of layers) {
    if (options.parallel) await Promise.all(layer.map(one));
    else for (const name of layer) await one(name);
  }
  return results;
}

export function isFailure(result: ProgramResult | undefined): result is ProgramResult {
  return result !== undefined && result.code !== ReturnCodes.SUCCESS;
}

/** The dependent of a failed dependency fails without being started, naming the dependency. */
export function dependencyFailed(program: ProgramConfig, failed: ProgramResult): ProgramResult {
  return {
    name: program.name,
    action: 'start',
    code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH,
    outcome: 'failed-to-launch',
    message: `${program.name} was not started: dependency ${failed.name} failed: ${failed.message}`,
  };
}
