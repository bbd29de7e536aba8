import type { ConfigProblems } from './ConfigProblems.js';
import { instanceName, parseInstanceName } from './instances.js';
import type { ProgramConfig } from './types.js';

/**
 * depends_on with instances: NAME of a program with instances means every instance (NAME@0 ..),
 * NAME@k one of them; an index past the last instance is an error at depends_on's line. Other
 * names are kept as written for the graph check to judge.
 */
export function resolveInstanceDependencies(programs: ReadonlyMap<string, ProgramConfig>, problems: ConfigProblems): void {
  const groups = new Map<string, number>();
  for (const program of programs.values()) if (program.instanceOf !== undefined) groups.set(program.instanceOf, program.instances ?? 1);
  if (groups.size === 0) return;
  for (const program of programs.values()) {
    if (program.dependsOn.length === 0) continue;
    const resolved: string[] = [];
    for (const name of program.dependsOn) {
      const count = groups.get(name);
      if (count !== undefined && !programs.has(name)) {
        for (let k = 0; k < count; k++) resolved.push(instanceName(name, k));
        continue;
      }
      const asInstance = parseInstanceName(name);
      const ofCount = asInstance && groups.get(asInstance.program);
      if (asInstance && ofCount !== undefined && !programs.has(name) && asInstance.instance >= ofCount) {
        const at = program.dependsOnAt ?? { file: program.file, line: program.line };
        problems.error(`depends_on names ${name}, but ${asInstance.program} has ${ofCount} instance${ofCount === 1 ? '' : 's'}`, {
          ...at,
          section: `Program:${program.instanceOf ?? program.name}`,
          key: 'depends_on',
          hint: `name ${asInstance.program} (every instance) or ${asInstance.program}@0 .. ${asInstance.program}@${ofCount - 1}`,
        });
        continue;
      }
      resolved.push(name);
    }
    program.dependsOn = [...new Set(resolved)];
  }
}
