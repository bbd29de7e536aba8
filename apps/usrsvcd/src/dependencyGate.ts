import type { ProgramConfig } from '@usrsvc/config';
import type { StateKind } from './programState.js';

/**
 * Whether usrsvcd may start a program now as far as depends_on goes: undefined when every
 * dependency runs (a running dependency has passed its ready_check: a start ends only then),
 * else why not, naming the first dependency that does not ("waiting for db (backoff)").
 */
export function dependencyGate(program: Pick<ProgramConfig, 'dependsOn'>, stateOf: (name: string) => StateKind | undefined): string | undefined {
  for (const dependency of program.dependsOn) {
    const kind = stateOf(dependency);
    if (kind !== 'running') return `waiting for ${dependency} (${describe(kind)})`;
  }
  return undefined;
}

function describe(kind: StateKind | undefined): string {
  if (kind === undefined) return 'not configured';
  return kind === 'held' ? 'it waits for its own depends_on' : kind;
}
