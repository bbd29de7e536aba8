import { ReturnCodes } from '@usrsvc/launcher';
import { runAll } from './commands/runAll.js';
import { runOne } from './commands/runOne.js';
import { runInstances } from './commands/runInstances.js';
import { resolveProgramName } from '@usrsvc/config';
import { showStatusTable } from './commands/showStatusTable.js';
import type { Invocation } from './invocation.js';
import { makeLaunchContext } from './launchContext.js';
import { loadConfig } from './loadConfig.js';
import type { Printer } from './printer.js';
import { readDaemonPrograms, type ReadDaemonPrograms } from './daemonView.js';
import type { ConfigReader } from './cachedConfigReader.js';

/**
 * Runs one `usrsvc ACTION [NAME]`, printing through `printer`; returns the exit code. usrsvcd
 * answering a status passes `sources`: its own state for `daemonPrograms` (else its API) and a
 * cached `readConfig` (else the config is read from disk).
 */
export async function runInvocation(
  invocation: Invocation,
  printer: Printer,
  env: NodeJS.ProcessEnv,
  sources: { daemonPrograms?: ReadDaemonPrograms; readConfig?: ConfigReader } = {},
): Promise<number> {
  const daemonPrograms = sources.daemonPrograms ?? readDaemonPrograms;
  const config = loadConfig(invocation.configPath, env, printer, sources.readConfig);
  if (!config) return ReturnCodes.INVALID_CONFIG;
  const ctx = makeLaunchContext(env, printer);
  // Starts launch through the native double fork and locks take flock(2) through the addon when it
  // is there (not loaded for status, which takes no lock).
  if (invocation.action !== 'status') {
    const exitwatch = await import('@usrsvc/exitwatch');
    ctx.orphanSpawn = exitwatch.nativeOrphanSpawn();
    ctx.tryLockFile = exitwatch.nativeTryLockFile();
    // The CLI owns a notify program's sd_notify socket while it starts it.
    const notifySocket = exitwatch.nativeNotifySocket();
    if (notifySocket) ctx.notifySocket = notifySocket;
    else ctx.notifyUnavailable = exitwatch.notifySocketUnavailable() ?? 'not available';
  }
  const { target } = invocation;
  if (target === undefined) return showStatusTable(invocation.json, config, ctx, printer, daemonPrograms);
  if (target === 'all') return runAll(invocation, config, ctx, printer);
  const instances = config.programs.has(target) ? [] : resolveProgramName(config.programs, target);
  if (instances.length > 0) return runInstances({ ...invocation, target }, instances, config, ctx, printer, daemonPrograms);
  return runOne({ ...invocation, target }, config, ctx, printer, daemonPrograms);
}
