import { ConfigProblems } from './ConfigProblems.js';
import type { ConfigSection } from './parseConfigobj.js';
import type { ProgramConfig } from './types.js';
import { type ProgramContext, validateProgram } from './validateProgram.js';

/**
 * One [Program:NAME] as the programs it makes: itself, or with `instances = N` its N instances
 * NAME@0 .. NAME@N-1, each with its placeholders expanded. Instance 0 reports the section's
 * problems; a later instance adds only its own (a folder that exists for 0 but not for 2).
 */
export function validateInstances(name: string, section: ConfigSection, context: ProgramContext): ProgramConfig[] {
  const first = validateProgram(name, section, context, 0);
  if (!first) return [];
  const count = first.instances;
  if (count === undefined) return [first];
  const programs = [first];
  for (let instance = 1; instance < count; instance++) {
    const own = new ConfigProblems();
    const program = validateProgram(name, section, { ...context, problems: own }, instance);
    for (const error of own.errors) {
      context.problems.error(`${error.detail} (instance ${name}@${instance})`, {
        file: error.file,
        ...(error.line === undefined ? {} : { line: error.line }),
        ...(error.section === undefined ? {} : { section: error.section }),
        ...(error.key === undefined ? {} : { key: error.key }),
        ...(error.hint === undefined ? {} : { hint: error.hint }),
      });
    }
    if (program) programs.push(program);
  }
  return programs;
}
