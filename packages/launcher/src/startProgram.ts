import fs from 'node:fs';
import { isSameProcess, type ProcessIdentity, type ProcessInfo, type ProcessTable, readProcess } from '@usrsvc/procscan';
import type { ActionResult } from './ActionResult.js';
import { awaitLaunchedProcess } from './awaitLaunchedProcess.js';
import { ensureActionAllowed } from './ensureActionAllowed.js';
import { checkPidfile, findRunning } from './findRunningProgram.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { readLaunchBase, recordLaunchBaseAsync } from './launchBaseEnvironment.js';
import { processSettings } from './processSettings.js';
import { workingDirectory } from './workingDirectory.js';
import { findCookieLeftovers } from './cookieLeftovers.js';
import { newLaunchId, withLaunchCookie } from './launchCookie.js';
import { launchEnvironment } from './launchEnvironment.js';
import { readLaunchRecord, writeLaunchRecord, writeLaunchRecordAsync } from './launchRecord.js';
import { LaunchReadiness } from './launchReadiness.js';
import type { NotifyListener } from './NotifyListener.js';
import { resolveExecutable } from './resolveExecutable.js';
import { describeLeftovers, liveLeftovers, toLeftover } from './leftovers.js';
import { readPidfile, writePidfile } from './pidfile.js';
import { withProgramLock } from './programLock.js';
import { recordLaunch, recordTree } from './rememberProgramTree.js';
import { ReturnCodes } from './returnCodes.js';
import { isDead, toRunningProcess } from './runningProcess.js';
import { signalReset } from './signalReset.js';
import { spawnDetached } from './spawnDetached.js';
import { fileSizeNow, stderrTail } from './stderrTail.js';
import { stopLeftoversResolved } from './stopLeftovers.js';
import { stopLocked } from './stopProgram.js';
import { clearStoppedByUser, isStoppedByUser } from './userStopMark.js';

export interface StartOptions {
  /** A person asked (the CLI): forget an earlier stop by the user. */
  byUser?: boolean;
  /** The daemon's restarts: do nothing when the user stopped the program (checked under the lock). */
  unlessStoppedByUser?: boolean;
  /** Called with the launched PID as soon as it is known, before success_seconds pass. */
  onLaunched?(pid: number): void;
  /**
   * The caller knows the program is not running: it has just seen the program's process exit
   * (its exit watch fired) and nothing started it since. Under the lock only the pidfile is
   * checked (any usrsvc start writes one), not the whole process table, so the launch waits for
   * no scan and its latency does not grow with the number of processes.
   */
  knownNotRunning?: boolean;
  /**
   * A process-table snapshot the caller took after it last saw the program not running (e.g.
   * the daemon's pass that decided to autostart it): the scan for a running copy uses it instead
   * of a fresh one, so concurrent starts do not queue behind one shared scan.
   */
  table?: ProcessTable;
  /**
   * The environment the program starts from (before env files and [[Env]]): 'caller' (default,
   * the CLI) is the context's; 'previous-run' (usrsvcd's restarts) is the one the program's last
   * run was started with, recorded at its launch, or the context's when no run was recorded.
   */
  environment?: 'caller' | 'previous-run';
  /** A start with a ready_check: called with each failed attempt's result while it waits. */
  onWaitingForReady?(check: string, last: string): void;
  /**
   * ready_check = notify: called with the notify socket once the start succeeded, instead of
   * closing it (usrsvcd keeps listening, for WATCHDOG=1 and STATUS).
   */
  keepNotify?(listener: NotifyListener): void;
}

/**
 * Starts the program unless it runs already, and waits success_seconds for a process matching
 * proctitle_re to be running and, with a ready_check, for it to pass: 0 started / already-running,
 * 137 failed to launch, 134 exited unexpectedly, 139 not ready within ready_timeout (stopped), 132
 * disabled.
 */
export async function startProgram(program: LauncherProgram, ctx?: LaunchContext, options: StartOptions = {}): Promise<ActionResult> {
  const refused = ensureActionAllowed(program, 'start');
  if (refused) return refused;
  const resolved = resolveContext(ctx);
  return withProgramLock(program, resolved, () => startLocked(program, resolved, options));
}

export async function startLocked(program: LauncherProgram, ctx: ResolvedContext, options: StartOptions): Promise<ActionResult> {
  const base = { name: program.name, action: 'start' as const };
  if (options.byUser) clearStoppedByUser(program.name, ctx);
  else if (options.unlessStoppedByUser && isStoppedByUser(program.name, ctx)) {
    return { ...base, code: ReturnCodes.SUCCESS, outcome: 'stopped-by-user', message: `${program.name} was stopped by the user; not starting it` };
  }
  const running = options.knownNotRunning ? checkPidfile(program, ctx) : await findRunning(program, ctx, options.table);
  if (running) {
    return { ...base, code: ReturnCodes.SUCCESS, outcome: 'already-running', message: `${program.name} is already running [${running.pid}]`, process: running };
  }

  await stopLeftoversFirst(program, ctx);
  await zombieReaped(program, ctx);
  // Only the /bin/sh launch needs a way to reset SIGINT and SIGQUIT (the native one resets every signal).
  if (!ctx.orphanSpawn && signalReset().kind === 'none') {
    ctx.logger.warn(`${program.name} will ignore SIGINT and SIGQUIT: neither GNU env --default-signal nor bash is available`);
  }
  const launchedAtMs = Date.now();
  // Failure messages quote only what this launch wrote to stderr.
  const stderrOffset = fileSizeNow(program.stderr);
  const thisLaunchStderr = () => ({ stderrTail: stderrTail(program.stderr, 10, stderrOffset), stderrOffset });
  let readiness: LaunchReadiness;
  try {
    readiness = new LaunchReadiness(program, ctx);
  } catch (error) {
    return { ...base, code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH, outcome: 'failed-to-launch', message: `${program.name} was not launched: ${(error as Error).message}` };
  }
  const result = await launchAndWatch(program, ctx, options, readiness, launchedAtMs, thisLaunchStderr);
  const keep = options.keepNotify ?? (ctx.keepNotify ? (listener: NotifyListener) => ctx.keepNotify!(program.name, listener) : undefined);
  await readiness.finish(result.code === ReturnCodes.SUCCESS ? keep : undefined);
  return result;
}

async function launchAndWatch(
  program: LauncherProgram,
  ctx: ResolvedContext,
  options: StartOptions,
  readiness: LaunchReadiness,
  launchedAtMs: number,
  thisLaunchStderr: () => Pick<ActionResult, 'stderrTail' | 'stderrOffset'>,
): Promise<ActionResult> {
  const base = { name: program.name, action: 'start' as const };
  const cookie = { program: program.name, launch: newLaunchId() };
  const previousBase = options.environment === 'previous-run' ? readLaunchBase(program.name, ctx) : undefined;
  const startEnv = previousBase ?? ctx.env;
  let env: NodeJS.ProcessEnv;
  let launchedPid: number;
  try {
    // Env files are read now: a missing or broken one fails this start (137).
    env = withLaunchCookie({ ...launchEnvironment(program, startEnv), ...readiness.environment() }, cookie);
    launchedPid = await spawnDetached({
      command: program.useShell ? { shellCommand: program.command } : { argv: program.argv },
      stdout: program.stdout,
      stderr: program.stderr,
      env,
      cwd: workingDirectory(program, ctx.env),
      settings: processSettings(program, startEnv),
    }, ctx.orphanSpawn);
  } catch (error) {
    return await withLeftovers(ctx, {
      ...base,
      code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH,
      outcome: 'failed-to-launch',
      message: `${program.name} failed to launch: ${(error as Error).message}`,
      ...thisLaunchStderr(),
    });
  }
  ctx.logger.debug(`launched ${program.name} as pid ${launchedPid}`);
  options.onLaunched?.(launchedPid);
  try {
    // A restart from the recorded environment records the same one again: nothing to write.
    if (!previousBase) await recordLaunchBaseAsync(program.name, ctx, startEnv);
  } catch (error) {
    ctx.logger.warn(`${program.name}: cannot record the environment of this launch for usrsvcd's restarts: ${(error as Error).message}`);
  }
  const launched = readProcess(launchedPid);
  if (launched) await recordLaunch(program.name, ctx, launched);
  const launchedIdentity = { pid: launchedPid, startTicks: launched?.startTicks ?? -1 };
  // An earlier launch still on record may have left processes: the cookie scan reaches back to it.
  const earlier = readLaunchRecord(program.name, ctx);
  const since = Math.min(earlier?.since ?? launchedAtMs, launchedAtMs);
  await writeLaunchRecordAsync(program.name, ctx, { launchId: cookie.launch, since, launched: launchedIdentity });
  const check = program.readyCheck?.text;
  const onWaiting = options.onWaitingForReady ?? (ctx.onWaitingForReady ? (c: string, last: string) => ctx.onWaitingForReady!(program.name, c, last) : undefined);
  readiness.begin(launchedPid, launchedAtMs, check && onWaiting ? (last) => onWaiting(check, last) : undefined);

  await nameLeftovers(program, ctx, launchedIdentity, earlier !== undefined);
  const ran = launchRan(program, ctx, env);
  const watch = await awaitLaunchedProcess(program, ctx, launchedPid, launchedAtMs, ran ? program.argv.join(' ') : undefined);
  if (watch.kind === 'running') {
    let found = program.autoPid ? watch.process : ownPidfileProcess(program, ctx, watch.process);
    if (program.autoPid) writePidfile(program.pidfile, found.pid);
    writeLaunchRecord(program.name, ctx, { launchId: cookie.launch, since, launched: launchedIdentity, main: { pid: found.pid, startTicks: found.startTicks } });
    const table = await ctx.snapshot();
    const seen = table.get(found.pid);
    recordTree(program.name, ctx, table, seen?.startTicks === found.startTicks ? seen : undefined);
    if (check) {
      const ready = await readiness.ready(found);
      const announced = readiness.announcedMain();
      if (announced && announced.pid !== found.pid) {
        found = announced;
        if (program.autoPid) writePidfile(program.pidfile, found.pid);
        writeLaunchRecord(program.name, ctx, { launchId: cookie.launch, since, launched: launchedIdentity, main: { pid: found.pid, startTicks: found.startTicks } });
      }
      const status = readiness.notify?.state.status;
      if (ready.kind === 'died') {
        return await withLeftovers(ctx, {
          ...base,
          code: ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY,
          outcome: 'exited-unexpectedly',
          message: `${program.name} [${found.pid}] exited while waiting for ready_check (${check})`,
          readiness: { check },
          ...thisLaunchStderr(),
        });
      }
      if (ready.kind === 'not-ready') {
        const stop = await stopLocked({ ...program, stopAsGroup: true }, ctx, {});
        return {
          ...base,
          code: ReturnCodes.PROGRAM_NOT_READY,
          outcome: 'not-ready',
          message: `${program.name} [${found.pid}] was not ready within ready_timeout (${program.readyTimeout ?? 60} s): ${check}: ${ready.last}; ${stop.message}`,
          readiness: { check, last: ready.last, ...(status === undefined ? {} : { status }) },
          ...thisLaunchStderr(),
        };
      }
      return {
        ...base,
        code: ReturnCodes.SUCCESS,
        outcome: 'started',
        message: `started ${program.name} [${found.pid}], ready after ${(ready.afterMs / 1000).toFixed(1)} s (${check})`,
        process: toRunningProcess(found, 'launch'),
        readiness: { check, readyAfterMs: ready.afterMs, ...(status === undefined ? {} : { status }) },
      };
    }
    return { ...base, code: ReturnCodes.SUCCESS, outcome: 'started', message: `started ${program.name} [${found.pid}]`, process: toRunningProcess(found, 'launch') };
  }
  if (watch.kind === 'died') {
    return await withLeftovers(ctx, {
      ...base,
      code: ReturnCodes.PROGRAM_EXITED_UNEXPECTEDLY,
      outcome: 'exited-unexpectedly',
      message: `${program.name} [${watch.pid}] exited before success_seconds (${program.successSeconds} s) passed`,
      ...thisLaunchStderr(),
    });
  }
  if (!watch.treeExited) stopStrayLaunch(program, ctx, launchedPid, launchedAtMs);
  return await withLeftovers(ctx, {
    ...base,
    code: ReturnCodes.PROGRAM_FAILED_TO_LAUNCH,
    outcome: 'failed-to-launch',
    message: watch.treeExited
      ? `${program.name} exited before any process matched proctitle_re (${program.proctitleRe.source}); success_seconds is ${program.successSeconds} s`
      : `no process matching proctitle_re (${program.proctitleRe.source}) within success_seconds (${program.successSeconds} s) of launching ${program.name}`,
    ...thisLaunchStderr(),
  });
}

/**
 * Processes of an earlier run that outlived their main process usually hold its port: with
 * stop_as_group they are stopped before the launch (found by tree record and launch cookie).
 */
async function stopLeftoversFirst(program: LauncherProgram, ctx: ResolvedContext): Promise<void> {
  if (!program.stopAsGroup) return;
  const { left } = await stopLeftoversResolved(program, ctx);
  if (left.length === 0) return;
  ctx.logger.warn(`${program.name}: processes of its earlier run still run and may hold its port: ${describeLeftovers(left.map(toLeftover))}`);
}

/** How long a start waits for init to reap a zombie named by the program's own pidfile (PID 1 may reap only every 1-2 s). */
const ZOMBIE_REAP_WAIT_MS = 5_000;

/**
 * With autopid=False the pidfile is the program's interlock (postgres's postmaster.pid): while it
 * names the zombie of the program's last main process, the program refuses to start ("lock file
 * already exists"). The start waits, a few seconds at most, for the zombie to be reaped.
 */
async function zombieReaped(program: LauncherProgram, ctx: ResolvedContext): Promise<void> {
  if (program.autoPid) return;
  const pid = readPidfile(program.pidfile);
  const zombie = pid === undefined ? undefined : readProcess(pid);
  if (!zombie || !isDead(zombie) || zombie.uid !== ctx.uid) return;
  ctx.logger.info(`${program.name}: its pidfile names pid ${pid}, a zombie: waiting for it to be reaped before starting`);
  const until = Date.now() + ZOMBIE_REAP_WAIT_MS;
  while (Date.now() < until && readProcess(zombie.pid)?.startTicks === zombie.startTicks) {
    await new Promise((resolve) => setTimeout(resolve, ctx.pollIntervalMs));
  }
}

/**
 * Without stop_as_group, leftovers are only named, in the log: looked for (tree record and launch
 * cookie) once the program is launched, so that a restart is not delayed by reading environs.
 * `earlierLaunch`: a launch record of this boot existed before this launch.
 */
async function nameLeftovers(program: LauncherProgram, ctx: ResolvedContext, launched: ProcessIdentity, earlierLaunch: boolean): Promise<void> {
  if (program.stopAsGroup) return;
  // Without an earlier launch on record (this boot), only processes started since this launch
  // could carry the cookie, and none but this launch's does: no scan (a cold start of 200
  // programs would otherwise scan the process table over and over).
  if (earlierLaunch) findCookieLeftovers(program.name, ctx, await ctx.snapshot());
  // The process just launched is in the tree record already: it is this run, not a leftover.
  const left = liveLeftovers(program.name, ctx, launched);
  if (left.length === 0) return;
  ctx.logger.warn(`${program.name}: processes of its earlier run still run and may hold its port: ${describeLeftovers(left.map(toLeftover))}`);
}

/**
 * A failed start names the leftovers of earlier runs that still run: the usual reason for
 * "address in use". Found by the tree record and by launch cookie (environs are read here, once).
 */
async function withLeftovers(ctx: ResolvedContext, result: ActionResult): Promise<ActionResult> {
  findCookieLeftovers(result.name, ctx, await ctx.snapshot());
  const left = liveLeftovers(result.name, ctx).map(toLeftover);
  if (left.length === 0) return result;
  const note = `processes of an earlier run of ${result.name} still run and may hold its port: ${describeLeftovers(left)}`;
  return { ...result, message: `${result.message}; ${note}`, leftovers: left };
}

/**
 * Whether the launch proves that the program itself ran, so that a tree gone before any look is
 * a program that died (134), not one that failed to launch (137): the native spawn returns only
 * once the program has exec'd; the shell launch of an argv whose executable exists only forks and
 * execs it. A useshell command may fail inside its shell: not proven.
 */
function launchRan(program: LauncherProgram, ctx: ResolvedContext, env: NodeJS.ProcessEnv): boolean {
  if (program.useShell || program.argv.length === 0) return false;
  const file = resolveExecutable(program.argv[0]!, env.PATH);
  if (file === undefined) return false;
  if (ctx.orphanSpawn) return true;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * With autopid=false the program writes its own pidfile: trust it when it names a live match,
 * otherwise report the process we matched and warn.
 */
function ownPidfileProcess(program: LauncherProgram, ctx: ResolvedContext, matched: ProcessInfo): ProcessInfo {
  const fromPidfile = checkPidfile(program, ctx);
  if (fromPidfile) return fromPidfile;
  ctx.logger.warn(`${program.name} runs as pid ${matched.pid} but did not write a valid pidfile at ${program.pidfile} (autopid=False)`);
  return matched;
}

/**
 * A launch that ran but never matched proctitle_re would otherwise be left running unmanaged, and
 * every retry would add one more: the launched process (only if it is still the one we started)
 * gets SIGTERM.
 */
function stopStrayLaunch(program: LauncherProgram, ctx: ResolvedContext, pid: number, launchedAtMs: number): void {
  const info = readProcess(pid);
  if (!info || info.startTime < launchedAtMs - 20 || !isSameProcess({ pid, startTicks: info.startTicks })) return;
  ctx.logger.warn(`${program.name}: launched pid ${pid} ("${info.cmdline}") never matched proctitle_re; sending it SIGTERM`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // gone meanwhile
  }
}
