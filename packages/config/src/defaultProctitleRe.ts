import { split } from 'shlex';

/**
 * The proctitle_re the original derives from a command: its shlex (posix) words, each
 * regex-escaped, joined by single spaces, anchored with "$" at the end only (a shebang may put
 * an interpreter in front). With useshell, only the part after the last "&&" is the program.
 * Throws when the command cannot be split (an unclosed quote).
 */
export function defaultProctitleRe(command: string, useShell: boolean, commandWords?: readonly string[]): string {
  const lastAnd = command.lastIndexOf('&&');
  const program = useShell && lastAnd !== -1 ? command.slice(lastAnd + 2) : command;
  // `commandWords`: split(command), when the caller has it already (a config of many programs).
  const words = program === command && commandWords ? commandWords : split(program);
  return `${words.map(escapeRegex).join(' ')}$`;
}

/** Escapes what is special in both Python and JavaScript regexes, so the result is valid in both. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
