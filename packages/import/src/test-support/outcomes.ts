import { builtinMonitoringKeys, type KeySpec, programKeys } from '@usrsvc/config';
import type { ImportResult, ReportLine, TargetKeys } from '../types.js';

/** The report line of one source setting (its key as the report names it). */
export function lineOf(result: ImportResult, program: string, sourceKey: string): ReportLine {
  const line = result.report.find((item) => item.program === program && item.from.key === sourceKey);
  if (!line) throw new Error(`no report line for ${program} ${sourceKey}: ${JSON.stringify(result.report.map((item) => `${item.program} ${item.from.key}`))}`);
  return line;
}

export function outcomeText(line: ReportLine): string {
  return 'mapped' in line.outcome ? `mapped to ${line.outcome.mapped}` : `not mapped: ${line.outcome.notMapped}`;
}

/** Holds before and after the key lands in @usrsvc/config: mapped to it, or "usrsvc has no KEY yet" / "does not take". */
export function mappedOrNotYet(result: ImportResult, program: string, sourceKey: string, target: string): boolean {
  const text = outcomeText(lineOf(result, program, sourceKey));
  const known = target in programKeys || target in builtinMonitoringKeys;
  if (known) return text === `mapped to ${target}` || text.startsWith(`not mapped: usrsvc's ${target} does not take`);
  return text === `not mapped: usrsvc has no ${target} yet`;
}

export function fileOf(result: ImportResult, program: string): string {
  const found = result.programs.find((item) => item.name === program);
  if (!found) throw new Error(`no program ${program}`);
  return found.text;
}

const text: KeySpec = { type: 'string' };
/** The keys issues 21 and 22 add, as plain text, on top of today's: to test the mapping tables themselves. */
export const FUTURE_KEYS: TargetKeys = {
  program: {
    ...programKeys,
    autorestart: text,
    directory: { type: 'path' },
    env_file: { type: 'list' },
    umask: text,
    instances: { type: 'integer' },
    exit_codes: { type: 'list' },
    restart_on_change: { type: 'list' },
    restart_on_change_ignore: { type: 'list' },
    ready_check: text,
    ready_check_interval: { type: 'number' },
    ready_check_timeout: { type: 'number' },
    depends_on: { type: 'list' },
  },
  monitoring: builtinMonitoringKeys,
};
