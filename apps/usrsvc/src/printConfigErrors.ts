import { type ConfigWarning, formatConfigWarning } from '@usrsvc/config';
import type { Printer } from './printer.js';

/** The fields of @usrsvc/config's ConfigError and ConfigWarning that a person needs. */
export interface ConfigProblem {
  file?: string;
  line?: number;
  section?: string;
  key?: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function describeConfigProblem(problem: ConfigProblem): string {
  const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: ` : '';
  const section = problem.section ? `[${problem.section}] ` : '';
  const key = problem.key ? `${problem.key}: ` : '';
  const message = problem.detail ?? problem.message;
  const hint = problem.hint ? `\n    hint: ${problem.hint}` : '';
  return `${where}${section}${key}${message}${hint}`;
}

/** Every config error, one block each, on stderr: nothing is left for a second run to reveal. */
export function printConfigErrors(printer: Printer, errors: readonly ConfigProblem[]): void {
  const red = printer.errColors.red;
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  printer.err(red(`usrsvc: invalid configuration (${count}):`));
  for (const error of errors) printer.err(`  ${describeConfigProblem(error).replaceAll('\n', '\n  ')}`);
}

export function printConfigWarnings(printer: Printer, warnings: readonly ConfigWarning[]): void {
  for (const warning of warnings) {
    printer.err(`${printer.errColors.yellow('usrsvc: warning:')} ${formatConfigWarning(warning)}`);
  }
}
