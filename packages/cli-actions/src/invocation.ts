export const ACTIONS = ['start', 'stop', 'restart', 'status', 'reload', 'signal'] as const;
export type Action = (typeof ACTIONS)[number];

export function isAction(word: string): word is Action {
  return (ACTIONS as readonly string[]).includes(word);
}

/** One run of `usrsvc`, whichever parser (fast path or yargs) understood the command line. */
export interface Invocation {
  action: Action;
  /** A program name, "all", or undefined (only `status`: the table of every program). */
  target?: string;
  json: boolean;
  parallel: boolean;
  /** --no-deps: start/restart NAME without starting its depends_on first. */
  noDeps?: boolean;
  debug: boolean;
  configPath?: string;
  /** `signal NAME SIGNAL`: the signal's name as typed (HUP, SIGUSR2, usr1). */
  signal?: string;
  /** `signal --group`: the program's whole tree. */
  group?: boolean;
  /** `restart NAME --rolling`: NAME's instances one at a time, each once the previous is up again. */
  rolling?: boolean;
}
