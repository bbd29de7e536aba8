import { apiSocketPath } from '@usrsvc/api';
import { formatConfigWarning } from '@usrsvc/config';
import { defaultStateDir, ReturnCodes } from '@usrsvc/launcher';
import { Daemon, daemonTuning } from './Daemon.js';
import { readDaemonState, runningDaemonPid, waitForExit } from './daemonPidfile.js';
import { startDetached } from './detach.js';
import { ConfigLoadError, type LoadedConfig, loadConfig } from './loadConfig.js';
import { DaemonLog } from './log.js';

export interface ActionOptions {
  env: NodeJS.ProcessEnv;
  debug: boolean;
  foreground: boolean;
  /** Where the command's own messages go (not the daemon's log). */
  out: (line: string) => void;
  err: (line: string) => void;
  /** `logs`: keep printing new lines. */
  follow?: boolean;
  /** `logs`: how many lines first. */
  lines?: number;
}

const STOP_TIMEOUT_MS = 7_000;

export async function configOrReport(options: ActionOptions): Promise<LoadedConfig | number> {
  try {
    return await loadConfig(options.env);
  } catch (error) {
    const problems = error instanceof ConfigLoadError ? error.problems : [String(error)];
    options.err(`Error in configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
    for (const problem of problems) options.err(`  ${problem}`);
    return ReturnCodes.INVALID_CONFIG;
  }
}

export async function checkconfig(options: ActionOptions): Promise<number> {
  const loaded = await configOrReport(options);
  if (typeof loaded === 'number') return loaded;
  const { config, plugins } = loaded;
  for (const warning of config.warnings) options.err(`warning: ${formatConfigWarning(warning)}`);
  options.out(
    `Configuration OK: ${config.programs.size} programs in ${config.files.length} file${config.files.length === 1 ? '' : 's'}; monitors: ${plugins.map((p) => p.name).join(', ')}.`,
  );
  return ReturnCodes.SUCCESS;
}

export async function status(options: ActionOptions): Promise<number> {
  const loaded = await configOrReport(options);
  if (typeof loaded === 'number') return loaded;
  const pid = runningDaemonPid(loaded.config.main.pidfile, defaultStateDir(options.env));
  if (pid === undefined) {
    options.err('usrsvcd is not running.');
    return ReturnCodes.GENERAL_FAILURE;
  }
  const state = readDaemonState(defaultStateDir(options.env), pid);
  const watch = state?.exitWatch ? `${state.exitWatch.mode}${state.exitWatch.reason ? ` (${state.exitWatch.reason})` : ''}` : 'unknown';
  options.out(`usrsvcd is running as pid ${pid}${state ? ` since ${state.startedAt}` : ''}; exit watch: ${watch}.`);
  options.out(`API socket: ${state?.socket ?? `${apiSocketPath(defaultStateDir(options.env))} (not listening)`}`);
  return ReturnCodes.SUCCESS;
}

export async function reread(options: ActionOptions): Promise<number> {
  const loaded = await configOrReport(options);
  if (typeof loaded === 'number') return loaded;
  const pid = runningDaemonPid(loaded.config.main.pidfile, defaultStateDir(options.env));
  if (pid === undefined) {
    // Not an error: the configuration applies whenever usrsvcd starts.
    options.err('usrsvcd is not running; the configuration is valid and will be used when it starts.');
    return ReturnCodes.SUCCESS;
  }
  process.kill(pid, 'SIGUSR1');
  options.out(`Configuration is valid; sent SIGUSR1 to usrsvcd (pid ${pid}) to reread it.`);
  return ReturnCodes.SUCCESS;
}

export async function stop(options: ActionOptions): Promise<number> {
  const loaded = await configOrReport(options);
  if (typeof loaded === 'number') return loaded;
  return stopRunning(loaded, options);
}

async function stopRunning(loaded: LoadedConfig, options: ActionOptions): Promise<number> {
  const pid = runningDaemonPid(loaded.config.main.pidfile, defaultStateDir(options.env));
  if (pid === undefined) {
    options.err('usrsvcd is not running.');
    return ReturnCodes.SUCCESS;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    if (runningDaemonPid(loaded.config.main.pidfile, defaultStateDir(options.env)) === pid) {
      options.err(`Cannot terminate usrsvcd (pid ${pid}): ${String(error)}`);
      return ReturnCodes.GENERAL_FAILURE;
    }
  }
  if (await waitForExit(pid, STOP_TIMEOUT_MS)) {
    options.out(`usrsvcd (pid ${pid}) stopped.`);
    return ReturnCodes.SUCCESS;
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // exited meanwhile
  }
  await waitForExit(pid, 2_000);
  options.out(`usrsvcd (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM: killed.`);
  return ReturnCodes.SUCCESS;
}

export async function restart(options: ActionOptions): Promise<number> {
  const loaded = await configOrReport(options);
  if (typeof loaded === 'number') return loaded;
  const stopped = await stopRunning(loaded, options);
  if (stopped !== ReturnCodes.SUCCESS) return stopped;
  return startLoaded(loaded, options);
}

export async function start(options: ActionOptions): Promise<number> {
  const loaded = await configOrReport(options);
  if (typeof loaded === 'number') return loaded;
  return startLoaded(loaded, options);
}

async function startLoaded(loaded: LoadedConfig, options: ActionOptions): Promise<number> {
  const { main } = loaded.config;
  const running = runningDaemonPid(main.pidfile, defaultStateDir(options.env));
  if (running !== undefined) {
    options.err(`usrsvcd is already running as pid ${running}.`);
    return ReturnCodes.USRSVCD_ALREADY_RUNNING;
  }
  if (options.foreground) return runForeground(loaded, options);
  const result = await startDetached({
    pidfile: main.pidfile,
    stdoutFile: main.usrsvcdStdout,
    stderrFile: main.usrsvcdStderr,
    args: options.debug ? ['--debug'] : [],
    env: options.env,
  });
  if (result.code === 0) options.out(`usrsvcd started as pid ${result.pid}.`);
  else options.err(`usrsvcd did not start: ${'reason' in result ? result.reason : 'unknown reason'}.`);
  return result.code;
}

async function runForeground(loaded: LoadedConfig, options: ActionOptions): Promise<number> {
  process.title = 'usrsvcd';
  // A terminal that goes away must not turn every log line into an 'error' event (and a loop).
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const log = new DaemonLog({ debug: options.debug, format: loaded.config.main.usrsvcdLogFormat });
  const daemon = new Daemon(loaded, { env: options.env, log, ...daemonTuning(options.env) });
  return daemon.run();
}
