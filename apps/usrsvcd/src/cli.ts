import { captureInheritedLimits, ReturnCodes } from '@usrsvc/launcher';
import { daemonVersion } from './version.js';
import { type ActionOptions, checkconfig, reread, restart, start, status, stop } from './actions.js';
import { logs, reopenLogs } from './logsActions.js';

const HANDLERS = { start, stop, restart, status, checkconfig, reread, logs, 'reopen-logs': reopenLogs } satisfies Record<string, (options: ActionOptions) => Promise<number>>;
type Action = keyof typeof HANDLERS;
const ACTIONS = Object.keys(HANDLERS) as Action[];

const DESCRIPTION = `Usage: usrsvcd [action] [--foreground] [--debug] [-f] [-n N]

usrsvcd is the daemon portion of usrsvc: it keeps programs running (autostart, autorestart),
monitors them and sends alerts, without being their parent.

Actions (default: start):
  start        Start the daemon in the background; returns once its pidfile is written.
  stop         Stop the running daemon (SIGTERM, SIGKILL after 7 s). Services keep running.
  restart      Stop, then start the daemon.
  status       Exit 0 when usrsvcd is running, 1 when not.
  checkconfig  Validate the configuration (with monitor plugins) without touching the daemon.
  reread       Validate, then send SIGUSR1 to the daemon to apply the configuration.
  logs         Print the last lines of usrsvcd's log (usrsvcd_stdout); -f follows it, -n N lines.
  reopen-logs  Send SIGHUP to the daemon: it reopens its log files (for logrotate's postrotate).

Uses the main config file $HOME/usrsvc.cfg (or $USRSVC_CONFIG).`;

const DAEMON_ARGS = new Set(['start', '--foreground', '--debug']);

/** Runs usrsvcd with these arguments (without node and the script) and resolves with its exit code. */
export async function runUsrsvcdCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // The open-files limit we were started with, before Node raised it: programs get that one.
  captureInheritedLimits(env);
  // The daemon's own command line skips the CLI parser: yargs alone would add ~12 MB to its RSS for good.
  // So does a plain `usrsvcd` / `usrsvcd start`: the parser's load is time a cold start waits for.
  if (argv.every((arg) => DAEMON_ARGS.has(arg)) && new Set(argv).size === argv.length) {
    return runAction('start', { foreground: argv.includes('--foreground'), debug: argv.includes('--debug') }, env);
  }
  const { default: yargs } = await import('yargs');
  let exitCode: number | undefined;
  let action: Action = 'start';
  let flags: Flags = { foreground: false, debug: false };
  let problem: string | undefined;
  const parser = yargs(argv)
    .scriptName('usrsvcd')
    .usage(DESCRIPTION)
    .command('$0 [action]', false, (y) =>
      y.positional('action', { type: 'string', describe: 'what to do', default: 'start' }),
    )
    .option('foreground', { type: 'boolean', default: false, describe: 'stay attached (systemd Type=simple, containers, tests)' })
    .option('debug', { type: 'boolean', default: false, describe: 'log debug messages' })
    .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'logs: keep printing new lines (across rotation)' })
    .option('lines', { alias: 'n', type: 'number', default: 20, describe: 'logs: how many lines first' })
    .strict()
    .exitProcess(false)
    .fail((msg, error) => {
      problem = msg ?? error?.message ?? 'invalid arguments';
    })
    .help()
    .version(daemonVersion())
    // The description is laid out by hand: yargs' wrapping to the terminal would break its lines.
    .wrap(null);
  try {
    const parsed = await parser.parseAsync(argv, {}, (error, _args, output) => {
      if (output && !error) {
        process.stdout.write(`${output}\n`);
        exitCode = ReturnCodes.HELP_MESSAGE;
      }
    });
    const requested = String(parsed.action ?? 'start');
    if (!(ACTIONS as readonly string[]).includes(requested)) problem = `Unknown action: ${requested}`;
    else action = requested as Action;
    flags = { foreground: Boolean(parsed.foreground), debug: Boolean(parsed.debug), follow: Boolean(parsed.follow), lines: Number(parsed.lines) };
    if (!Number.isInteger(flags.lines) || flags.lines! < 0) problem = `-n needs a whole number of 0 or more, not ${String(parsed.lines)}`;
  } catch (error) {
    problem ??= error instanceof Error ? error.message : String(error);
  }
  if (exitCode !== undefined) return exitCode;
  if (problem !== undefined) {
    process.stderr.write(`${problem}\n\nRun "usrsvcd --help" for the actions.\n`);
    return ReturnCodes.INVALID_ACTION;
  }
  return runAction(action, flags, env);
}

type Flags = Pick<ActionOptions, 'foreground' | 'debug' | 'follow' | 'lines'>;

async function runAction(action: Action, flags: Flags, env: NodeJS.ProcessEnv): Promise<number> {
  const options: ActionOptions = {
    env,
    ...flags,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  try {
    return await HANDLERS[action](options);
  } catch (error) {
    process.stderr.write(`usrsvcd ${action} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ReturnCodes.UNKNOWN_FAILURE;
  }
}
