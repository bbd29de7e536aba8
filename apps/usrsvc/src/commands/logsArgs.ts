import parseArgs from 'yargs-parser';

export interface LogsArgs {
  target?: string;
  lines: number;
  follow: boolean;
  streams: 'stdout' | 'stderr' | 'both';
  json: boolean;
  debug: boolean;
  help: boolean;
  configPath?: string;
}

const KNOWN = new Set(['_', '--', 'n', 'lines', 'f', 'follow', 'stdout', 'stderr', 'json', 'debug', 'config', 'help', 'h']);

export const LOGS_USAGE = `Usage: usrsvc logs NAME|all [-n N] [-f] [--stdout|--stderr] [--json]

  Prints the last N lines (default 20) of the program's output files; "all" for every program.
  Each line is prefixed by the program (and stream) when several files are shown.

  -n, --lines N   how many lines of each file first (0: none)
  -f, --follow    keep printing new lines, across rotation and truncation (as tail -F); Ctrl-C ends
  --stdout        only the stdout file
  --stderr        only the stderr file
  --json          one JSON object per line: {"program","stream","line"}
  --config FILE   main config file (default: $USRSVC_CONFIG, then $HOME/usrsvc.cfg)

  Works without usrsvcd: it reads the files named in the configuration.`;

/** `usrsvc logs ...` (argv without node and the script); a string is a usage error. */
export function parseLogsArgs(argv: readonly string[]): LogsArgs | string {
  const parsed = parseArgs([...argv], {
    boolean: ['follow', 'stdout', 'stderr', 'json', 'debug', 'help'],
    string: ['config', 'lines'],
    alias: { lines: ['n'], follow: ['f'], help: ['h'] },
    configuration: { 'parse-positional-numbers': false, 'camel-case-expansion': false },
  });
  const unknown = Object.keys(parsed).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) return `Unknown option: ${unknown.map((key) => (key.length === 1 ? `-${key}` : `--${key}`)).join(', ')}`;
  const words = parsed._.map(String);
  if (parsed.help) return { lines: 20, follow: false, streams: 'both', json: false, debug: false, help: true };
  if (words.length > 2) return `Too many arguments: ${words.slice(2).join(' ')}`;
  const linesText = parsed.lines === undefined ? '20' : String(parsed.lines);
  if (!/^\d+$/.test(linesText)) return `-n needs a whole number of 0 or more, not "${linesText}"`;
  if (parsed.stdout && parsed.stderr) return 'Give --stdout or --stderr, not both (both streams is the default)';
  const args: LogsArgs = {
    target: words[1],
    lines: Number(linesText),
    follow: parsed.follow === true,
    streams: parsed.stdout ? 'stdout' : parsed.stderr ? 'stderr' : 'both',
    json: parsed.json === true,
    debug: parsed.debug === true,
    help: false,
  };
  if (typeof parsed.config === 'string') args.configPath = parsed.config;
  if (args.target === undefined) return '"usrsvc logs" needs a program name or "all".';
  return args;
}
