const SHELL_NAMES = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'busybox']);

/**
 * True for `sh -c '...'` style argv: a shell running a command string (the wrapper a `useshell`
 * program runs under, whose own cmdline contains the command and would match proctitle_re).
 * Also recognises argv rewritten into one string ("/bin/sh -c sleep 60").
 */
export function isShellWrapper(argv: readonly string[]): boolean {
  const words = argv.length === 1 ? (argv[0] ?? '').split(' ') : argv;
  const shell = words[0];
  if (shell === undefined) return false;
  const base = shell.slice(shell.lastIndexOf('/') + 1).replace(/^-/, '');
  if (!SHELL_NAMES.has(base)) return false;
  const flagIndex = base === 'busybox' ? 2 : 1;
  if (base === 'busybox' && !SHELL_NAMES.has(words[1] ?? '')) return false;
  // "-c", or combined flags such as "-ec" / "-xc"
  return words.slice(flagIndex, flagIndex + 3).some((word) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(word));
}
