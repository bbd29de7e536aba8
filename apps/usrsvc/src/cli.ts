import yargs, { type Argv } from 'yargs';
import { ReturnCodes } from '@usrsvc/launcher';
import { type Action, ACTIONS, isAction } from '@usrsvc/cli-actions';
import { GLOBAL_OPTIONS } from './options.js';
import { readProjectReadme, readVersion } from './packageFiles.js';
import type { Printer } from '@usrsvc/cli-actions';
import { completeWords } from './completeWords.js';
import { runInvocation } from '@usrsvc/cli-actions';
import { usageText } from './usage.js';

interface ParsedArgs {
  _?: unknown[];
  name?: string;
  action?: string;
  parallel?: boolean;
  deps?: boolean;
  json?: boolean;
  config?: string;
  debug?: boolean;
  readme?: boolean;
  version?: boolean;
  help?: boolean;
  signal?: string;
  group?: boolean;
  rolling?: boolean;
}

const DESCRIPTIONS: Record<Action, string> = {
  start: 'Start NAME (or "all") unless it is already running',
  stop: 'Stop NAME (or "all"); usrsvcd leaves it stopped until "start" or "restart"',
  restart: 'Stop then start NAME (or "all"); --rolling: NAME\'s instances one at a time, each once the previous is up',
  reload: 'Send NAME\'s (or "all"\'s) reload_signal to its main process; 1 when it has none or is not running',
  signal: 'signal NAME SIGNAL [--group]: send SIGNAL (HUP, USR2...) to NAME\'s main process, or its whole tree with --group',
  status: 'Show whether NAME (or "all") is running; with no NAME, a table of every program',
};

/** The words after ACTION NAME (yargs keeps them in `_`, after the action itself). */
function extraWords(args: ParsedArgs): string[] {
  const words = (args._ ?? []).map(String);
  return args.name === undefined ? words.slice(2) : words.slice(1);
}

/**
 * The full command line with yargs: help, --version, --readme, shell completion and usage errors.
 * The everyday command lines never get here (see fastArgs.ts), so that they start faster.
 */
export async function runYargsCli(argv: readonly string[], printer: Printer, env: NodeJS.ProcessEnv): Promise<number> {
  let exitCode: number = ReturnCodes.SUCCESS;
  let failed = false;

  const run = async (args: ParsedArgs, action: string | undefined) => {
    if (failed) return;
    if (args.version) {
      printer.out(readVersion());
      exitCode = ReturnCodes.HELP_MESSAGE;
    } else if (args.readme) {
      printer.out(readProjectReadme());
      exitCode = ReturnCodes.HELP_MESSAGE;
    } else if (action === 'completion') {
      // yargs printed the completion script
    } else if (extraWords(args).length > 0) {
      // As the original ("Invalid number of arguments."): never act on a command line it half understood.
      const extra = extraWords(args).map((word) => JSON.stringify(word)).join(' ');
      printer.err(`${usageText(env)}\n\nRun "usrsvc --help" for the commands and options.\n\nToo many arguments: ${extra} (an action takes one program name or "all").`);
      exitCode = ReturnCodes.GENERAL_FAILURE;
    } else if (action === undefined) {
      printer.err(`${await parser.getHelp()}\n\nMissing action: start, stop, restart, status, reload or signal.`);
      exitCode = ReturnCodes.GENERAL_FAILURE;
    } else if (!isAction(action)) {
      printer.logErr(`Unknown action: ${action}`);
      exitCode = ReturnCodes.INVALID_ACTION;
    } else if (action === 'signal' && (args.name === undefined || args.signal === undefined)) {
      printer.err(`${await parser.getHelp()}\n\n"usrsvc signal" needs a program name (or "all") and a signal: usrsvc signal NAME HUP.`);
      exitCode = ReturnCodes.GENERAL_FAILURE;
    } else if (action !== 'status' && args.name === undefined) {
      printer.err(`${await parser.getHelp()}\n\n"usrsvc ${action}" needs a program name or "all".`);
      exitCode = ReturnCodes.GENERAL_FAILURE;
    } else {
      exitCode = await runInvocation(
        {
          action,
          target: args.name,
          json: args.json === true,
          parallel: args.parallel === true,
          ...(args.deps === false ? { noDeps: true } : {}),
          debug: args.debug === true,
          configPath: args.config,
          ...(args.signal === undefined ? {} : { signal: args.signal }),
          ...(args.group ? { group: true } : {}),
          ...(args.rolling ? { rolling: true } : {}),
        },
        printer,
        env,
      );
    }
  };

  const withName = (command: Argv) =>
    command.positional('name', { type: 'string', description: 'A program name, or "all"' });

  const parser = yargs([...argv])
    .scriptName('usrsvc')
    .usage(usageText(env))
    .parserConfiguration({ 'parse-positional-numbers': false })
    .options(GLOBAL_OPTIONS)
    .version(false)
    .option('version', { type: 'boolean', description: 'Print the version and exit' })
    .help('help')
    .alias('help', 'h')
    .strictOptions()
    .exitProcess(false)
    .wrap(null)
    .fail((message, error) => {
      if (failed) return;
      failed = true;
      if (error && !message) throw error;
      printer.err(`${usageText(env)}\n\nRun "usrsvc --help" for the commands and options.\n\n${message}`);
      exitCode = ReturnCodes.GENERAL_FAILURE;
    });

  for (const action of ACTIONS) {
    if (action === 'signal') continue;
    parser.command(`${action} [name]`, DESCRIPTIONS[action], withName, (args) => run(args as ParsedArgs, action));
  }
  parser.command(
    'signal [name] [signal]',
    DESCRIPTIONS.signal,
    (command) => withName(command).positional('signal', { type: 'string', description: 'A signal name: HUP, TERM, USR2...' }),
    (args) => run(args as ParsedArgs, 'signal'),
  );
  // Only for --help: `usrsvc logs` is run by commands/runLogs.ts before yargs loads (main.ts).
  parser.command('import <kind> <files..>', 'Translate supervisord, pm2, Procfile or process-compose config into .cfg files (see "usrsvc import --help")');
  parser.command('logs <name>', 'Print the last lines of NAME\'s (or "all") output; -f follows, -n N lines, --stdout/--stderr, --json', withName);
  parser
    .command('$0', false, (command) => command, (args) => run(args as ParsedArgs, (args as { _: unknown[] })._.map(String)[0]))
    .completion('completion', 'Print a bash/zsh completion script: usrsvc completion >> ~/.bashrc', completeWords(env))
    .epilog('Exit codes: 0 success, 1 failure, 11 try again (lock busy), 130 bad config, 131 unknown action,\n132 program disabled, 133 no such program, 134 exited unexpectedly, 137 failed to launch,\n138 help/version/readme. See "usrsvc --readme".');

  const args = (await parser.parseAsync()) as ParsedArgs;
  if (args.help && !failed) return ReturnCodes.HELP_MESSAGE;
  return exitCode;
}
