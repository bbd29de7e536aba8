import { captureInheritedLimits, ReturnCodes } from '@usrsvc/launcher';
import { parseFastArgs } from './fastArgs.js';
import { Printer, type OutputStreams } from '@usrsvc/cli-actions';
import { runInvocation } from '@usrsvc/cli-actions';

export interface CliIo extends OutputStreams {
  env: NodeJS.ProcessEnv;
}

/** Runs `usrsvc` with these arguments (without node and the script) and returns the exit code. */
export async function runUsrsvcCli(argv: readonly string[], io: CliIo = process): Promise<number> {
  // Before anything else: what the user's shell gave us, which Node raised (see the README's Limits).
  captureInheritedLimits(io.env);
  const debug = argv.includes('--debug');
  const printer = new Printer(io, io.env, debug);
  if (isLogsCommand(argv)) {
    try {
      const { runLogs } = await import('./commands/runLogs.js');
      return await runLogs(argv, printer, io.env, io);
    } catch (error) {
      printer.logErr(`usrsvc: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
      return ReturnCodes.UNKNOWN_FAILURE;
    }
  }
  if (firstWord(argv) === 'import') {
    try {
      const { runImport } = await import('./commands/runImport.js');
      return await runImport(argv, printer, io.env);
    } catch (error) {
      printer.logErr(`usrsvc: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
      return ReturnCodes.UNKNOWN_FAILURE;
    }
  }
  const fast = await parseFastArgs(argv);
  try {
    if (fast.kind === 'unknown-action') {
      printer.logErr(`Unknown action: ${fast.action}`);
      return ReturnCodes.INVALID_ACTION;
    }
    if (fast.kind === 'invocation') {
      const { action } = fast.invocation;
      // As the original: a Ctrl-C or TERM does not cut a start/stop/restart in half.
      if (action !== 'status') ignoreInterruptions(printer);
      return await runInvocation(fast.invocation, printer, io.env);
    }
    const { runYargsCli } = await import('./cli.js');
    return await runYargsCli(argv, printer, io.env);
  } catch (error) {
    printer.logErr(`usrsvc: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    if (debug && error instanceof Error && error.stack) printer.err(error.stack);
    return ReturnCodes.UNKNOWN_FAILURE;
  }
}

/** `usrsvc [--config FILE] [--debug] logs ...`: the first word that is not an option (or --config's value) is "logs". */
function isLogsCommand(argv: readonly string[]): boolean {
  return firstWord(argv) === 'logs';
}

/** The first word that is not an option (or --config's value); undefined for completions. */
function firstWord(argv: readonly string[]): string | undefined {
  if (argv.includes('--get-yargs-completions')) return undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i]!;
    if (word === '--config') i += 1;
    else if (!word.startsWith('-')) return word;
  }
  return undefined;
}

function ignoreInterruptions(printer: Printer): void {
  const ignore = (signal: NodeJS.Signals) =>
    printer.err(`usrsvc: ${signal} ignored: finishing the action in progress`);
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
}
