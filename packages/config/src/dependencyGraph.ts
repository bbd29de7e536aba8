import type { ConfigProblems } from './ConfigProblems.js';
import { didYouMeanHint } from './didYouMean.js';
import type { ProgramConfig } from './types.js';

type GraphProgram = Pick<ProgramConfig, 'name' | 'enabled' | 'dependsOn' | 'file' | 'line'> &
  Partial<Pick<ProgramConfig, 'dependsOnAt'>>;

/**
 * depends_on checks done once the whole configuration is known: every name is a program,
 * none is disabled (an enabled program could never start), and the graph has no cycle.
 */
export function checkDependencyGraph(programs: ReadonlyMap<string, GraphProgram>, problems: ConfigProblems): void {
  for (const program of programs.values()) {
    const at = where(program);
    for (const name of program.dependsOn) {
      const target = programs.get(name);
      if (!target) {
        problems.error(`depends_on names ${JSON.stringify(name)}, which is not a program`, {
          ...at,
          hint: didYouMeanHint(name, programs.keys()) ?? 'name a [Program:NAME] of this configuration',
        });
      } else if (name === program.name) {
        problems.error(`${program.name} depends on itself`, { ...at, hint: 'remove it from depends_on' });
      } else if (!target.enabled && program.enabled) {
        problems.error(`depends_on names ${name}, which is disabled (enabled = False)`, {
          ...at,
          hint: `enable ${name}, or remove it from depends_on`,
        });
      }
    }
  }
  for (const cycle of findCycles(programs)) {
    const first = programs.get(cycle[0]!)!;
    problems.error(`depends_on makes a cycle: ${[...cycle, cycle[0]].join(' -> ')}`, {
      ...where(first),
      hint: 'remove one of these dependencies',
    });
  }
}

function where(program: GraphProgram) {
  const at = program.dependsOnAt ?? { file: program.file, line: program.line };
  return { file: at.file, line: at.line, section: `Program:${program.name}`, key: 'depends_on' };
}

/** Each cycle once (as found by a depth-first walk), self-loops excluded (reported apart). */
function findCycles(programs: ReadonlyMap<string, GraphProgram>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (name: string) => {
    state.set(name, 'open');
    stack.push(name);
    for (const next of programs.get(name)?.dependsOn ?? []) {
      if (next === name || !programs.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of programs.keys()) if (!state.has(name)) visit(name);
  return cycles;
}

/**
 * `names` and, with `withDependencies`, everything they depend on, in layers: each layer depends
 * only on earlier ones, so a layer's programs can start in parallel. The graph is acyclic (checked
 * at config time); names missing from `programs` are skipped.
 */
export function dependencyLayers(
  programs: ReadonlyMap<string, Pick<ProgramConfig, 'dependsOn'>>,
  names: Iterable<string>,
  withDependencies = true,
): string[][] {
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name) || !programs.has(name)) return;
    wanted.add(name);
    if (withDependencies) for (const dep of programs.get(name)!.dependsOn) add(dep);
  };
  for (const name of names) add(name);
  const depth = new Map<string, number>();
  const depthOf = (name: string, guard: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (guard.has(name)) return 0;
    guard.add(name);
    let d = 0;
    for (const dep of programs.get(name)?.dependsOn ?? []) if (wanted.has(dep)) d = Math.max(d, depthOf(dep, guard) + 1);
    depth.set(name, d);
    return d;
  };
  const layers: string[][] = [];
  for (const name of wanted) {
    const d = depthOf(name, new Set());
    if (!layers[d]) layers[d] = [];
    layers[d].push(name);
  }
  return layers.filter((layer) => layer !== undefined);
}

/** The programs that depend on `name` (directly or not): what a stop of `name` leaves without it. */
export function dependentsOf(programs: ReadonlyMap<string, Pick<ProgramConfig, 'dependsOn'>>, name: string): string[] {
  const found = new Set<string>();
  const walk = (target: string) => {
    for (const [other, program] of programs) {
      if (program.dependsOn.includes(target) && !found.has(other)) {
        found.add(other);
        walk(other);
      }
    }
  };
  walk(name);
  found.delete(name);
  return [...found];
}
