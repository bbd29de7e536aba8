/** The global options, shared by the fast-path parser and the yargs definition so they cannot drift. */
export const GLOBAL_OPTIONS = {
  parallel: {
    alias: 'P',
    type: 'boolean',
    description: 'With "all": act on every program at once instead of one after another',
  },
  deps: {
    type: 'boolean',
    description: "start/restart NAME: start its depends_on first (the default); --no-deps skips that",
  },
  json: {
    type: 'boolean',
    description: 'Print one JSON document (an array for "all") instead of log lines',
  },
  config: {
    type: 'string',
    description: 'Main config file (default: $USRSVC_CONFIG, then $HOME/usrsvc.cfg)',
  },
  debug: {
    type: 'boolean',
    description: 'Print what usrsvc is doing, and stack traces of unexpected errors, on stderr',
  },
  group: {
    type: 'boolean',
    description: 'With "signal": send it to the program\'s whole tree, not only its main process',
  },
  rolling: {
    type: 'boolean',
    description: 'With "restart NAME" of a program with instances: one instance at a time, each once the previous is up again',
  },
  readme: {
    type: 'boolean',
    description: 'Print the usrsvc README and exit',
  },
} as const satisfies Record<string, { alias?: string; type: 'boolean' | 'string'; description: string }>;

export type GlobalOptionName = keyof typeof GLOBAL_OPTIONS;
