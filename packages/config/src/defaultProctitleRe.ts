import { split } from 'shlex';

/**
 * The proctitle_re the original derives from a command: its shlex (posix) words, each
 * regex-escaped, joined by single spaces, anchored with "$" at the end only (a shebang may put
 * an interpreter in front). With useshell, only the part after the last "&&" is the program,
 * without a leading `exec` (`exec -a NAME` takes NAME as the title's first word).
 * Throws when the command cannot be split (an unclosed quote).
 */
export function defaultProctitleRe(command: string, useShell: boolean, commandWords?: readonly string[]): string {
  const lastAnd = command.lastIndexOf('&&');
  const program = useShell && lastAnd !== -1 ? command.slice(lastAnd + 2) : command;
  // `commandWords`: split(command), when the caller has it already (a config of many programs).
  const words = program === command && commandWords ? commandWords : split(program);
  return `${(useShell ? withoutExec(words) : words).map(escapeRegex).join(' ')}$`;
}

/**
 * A shell command's leading `exec` replaces the shell with the program, whose title is what
 * follows; `exec -a NAME prog args` gives it the title NAME args. (`exec -c`, `-l`: bash options
 * that do not change the title's words, skipped.)
 */
function withoutExec(words: readonly string[]): readonly string[] {
  if (words[0] !== 'exec') return words;
  const rest = words.slice(1);
  let name: string | undefined;
  while (rest[0]?.startsWith('-') && rest[0] !== '--') {
    const option = rest.shift()!;
    if (option === '-a') name = rest.shift();
  }
  if (rest[0] === '--') rest.shift();
  if (name !== undefined && rest.length > 0) rest[0] = name;
  return rest.length > 0 ? rest : words;
}

/** Escapes what is special in both Python and JavaScript regexes, so the result is valid in both. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
