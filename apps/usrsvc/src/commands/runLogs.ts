import { type ProgramConfig, resolveProgramName } from '@usrsvc/config';
import { ReturnCodes } from '@usrsvc/launcher';
import { type LogSource, logLines, programLogSources } from '@usrsvc/logs';
import { loadConfig } from '@usrsvc/cli-actions';
import type { OutputStreams, Printer } from '@usrsvc/cli-actions';
import { makeLinePrefixer } from './logLinePrefix.js';
import { LOGS_USAGE, parseLogsArgs } from './logsArgs.js';

/**
 * `usrsvc logs NAME|all [-n N] [-f] [--stdout|--stderr] [--json]`: reads the files named in the
 * configuration, with or without usrsvcd. Loaded only for this command, so `status` stays fast.
 */
export async function runLogs(argv: readonly string[], printer: Printer, env: NodeJS.ProcessEnv, streams: OutputStreams): Promise<number> {
  const args = parseLogsArgs(argv);
  if (typeof args === 'string') {
    printer.err(`${LOGS_USAGE}\n\n${args}`);
    return ReturnCodes.GENERAL_FAILURE;
  }
  if (args.help) {
    printer.out(LOGS_USAGE);
    return ReturnCodes.HELP_MESSAGE;
  }
  const config = loadConfig(args.configPath, env, printer);
  if (!config) return ReturnCodes.INVALID_CONFIG;
  let programs: ProgramConfig[];
  if (args.target === 'all') programs = [...config.programs.values()];
  else {
    // NAME of a program with instances: every instance's files, each line prefixed with NAME@k.
    programs = resolveProgramName(config.programs, args.target!);
    if (programs.length === 0) {
      printer.logErr(`No such program: ${args.target}`);
      return ReturnCodes.PROGRAM_UNDEFINED;
    }
  }
  const sources: LogSource[] = programs.flatMap((program) => programLogSources(program, args.streams));
  if (sources.length === 0) return ReturnCodes.SUCCESS;

  const stop = new AbortController();
  const end = () => stop.abort();
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  // `usrsvc logs -f | head`: a closed pipe ends the command instead of an error.
  (streams.stdout as Partial<NodeJS.WriteStream>).on?.('error', end);
  const prefix = makeLinePrefixer(args.target === 'all' || sources.length > 1, programs.map((p) => p.name), printer.outColors);
  let unreadable = 0;
  try {
    const lines = logLines(sources, {
      lines: args.lines,
      follow: args.follow,
      signal: stop.signal,
      onError: (_source, error) => {
        unreadable += 1;
        printer.err(`usrsvc: ${error.message}`);
      },
    });
    for await (const line of lines) {
      if (stop.signal.aborted) break;
      printer.out(args.json ? JSON.stringify(line) : `${prefix(line)}${line.line}`);
    }
  } finally {
    process.off('SIGINT', end);
    process.off('SIGTERM', end);
  }
  return unreadable > 0 ? ReturnCodes.GENERAL_FAILURE : ReturnCodes.SUCCESS;
}
