import { defaultStateDir, ReturnCodes } from '@usrsvc/launcher';
import { type LogSource, logLines } from '@usrsvc/logs';
import { type ActionOptions, configOrReport } from './actions.js';
import { runningDaemonPid } from './daemonPidfile.js';

/** `usrsvcd logs [-f] [-n N]`: the daemon's own log (usrsvcd_stdout, and usrsvcd_stderr when separate). */
export async function logs(options: ActionOptions): Promise<number> {
  const main = await mainOrReport(options);
  if (typeof main === 'number') return main;
  if (!main.usrsvcdStdout) {
    options.err('usrsvcd_stdout is not set in [Main]: usrsvcd writes its log to the terminal (or journal) it was started from.');
    return ReturnCodes.GENERAL_FAILURE;
  }
  const sources: LogSource[] = [{ program: 'usrsvcd', stream: 'stdout', file: main.usrsvcdStdout }];
  if (main.usrsvcdStderr && main.usrsvcdStderr !== main.usrsvcdStdout) sources.push({ program: 'usrsvcd', stream: 'stderr', file: main.usrsvcdStderr });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let failed = false;
  try {
    const lines = logLines(sources, {
      lines: options.lines ?? 20,
      follow: options.follow === true,
      signal: stop.signal,
      onError: (_source, error) => {
        failed = true;
        options.err(error.message);
      },
    });
    for await (const { line } of lines) options.out(line);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return failed ? ReturnCodes.GENERAL_FAILURE : ReturnCodes.SUCCESS;
}

/** `usrsvcd reopen-logs`: SIGHUP to the daemon, which reopens its log files (logrotate's postrotate). */
export async function reopenLogs(options: ActionOptions): Promise<number> {
  const main = await mainOrReport(options);
  if (typeof main === 'number') return main;
  const pid = runningDaemonPid(main.pidfile, defaultStateDir(options.env));
  if (pid === undefined) {
    // Not an error: a logrotate postrotate must not fail because the daemon is stopped.
    options.err('usrsvcd is not running; it opens its log files when it starts.');
    return ReturnCodes.SUCCESS;
  }
  process.kill(pid, 'SIGHUP');
  options.out(`Sent SIGHUP to usrsvcd (pid ${pid}): it reopens its log files.`);
  return ReturnCodes.SUCCESS;
}

async function mainOrReport(options: ActionOptions) {
  const loaded = await configOrReport(options);
  return typeof loaded === 'number' ? loaded : loaded.config.main;
}
