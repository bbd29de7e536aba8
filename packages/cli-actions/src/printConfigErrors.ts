import { ConfigError, type ConfigWarning, formatConfigProblem, formatConfigWarning } from '@usrsvc/config';
import type { Printer } from './printer.js';

/** A ConfigError of @usrsvc/config, or an error that has no place (an unreadable file...). */
export type ConfigProblem = ConfigError | { message: string };

/** config's formatConfigProblem (file:line: [section] key: detail), the hint on a line of its own. */
export function describeConfigProblem(problem: ConfigProblem): string {
  if (!(problem instanceof ConfigError)) return problem.message;
  const where = formatConfigProblem(problem.detail, { ...problem, hint: undefined });
  return problem.hint ? `${where}\n    hint: ${problem.hint}` : where;
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
