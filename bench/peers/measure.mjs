// One manager, measured from outside: cold start, memory, idle CPU, status, restart after SIGKILL,
// manager restart. Everything it started is killed by PID (with its start time) at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Reaper } from '@usrsvc/testkit';
import { nodeFloorTimes } from './floor.mjs';
import { launchFloorMs } from './launchFloor.mjs';
import { restartFloorTimes } from './restartFloor.mjs';
import { restartLatency } from './restartLatency.mjs';
import { childPids, cpuNanos, descendants, memory, nofileLimit, openFds, procStat } from './procfs.mjs';
import { median, pollUntil, quartiles, run, runOk, sleep, timesOf } from './run.mjs';
import { msUntilAllRun, scanServices } from './services.mjs';

const CLOCK_TICKS = 100;

/**
 * @param manager one of managers/*.mjs
 * @param options { services, statusRuns, restarts, idleSeconds, settleSeconds, log, restartFloor }
 * @returns the row values (ms, %, kB, counts) for this manager's column
 */
export async function measureManager(manager, options) {
  const { services, log } = options;
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `usrsvc-peers-${manager.name}-`)));
  const env = { ...process.env, HOME: home };
  delete env.XDG_RUNTIME_DIR;
  delete env.USRSVC_CONFIG;
  delete env.PM2_HOME;
  Object.assign(env, manager.env?.(home) ?? {});
  const result = { name: manager.name, label: manager.label() };
  try {
    manager.prepare(home, services);

    log(`${manager.name}: the launch floor (/bin/sh starting the same ${services.length})`);
    result.launchFloorMs = await launchFloorMs(services, home, env);
    if (options.restartFloor) {
      log(`${manager.name}: the restart floor (${options.restarts} SIGKILLs of the same ${services.length}, kept by pidfd and the native double fork alone)`);
      record(result, 'restartFloorMs', await restartFloorTimes(services, home, env, options.restarts));
    }
    log(`${manager.name}: cold start of ${services.length}`);
    result.coldStartMs = await msUntilAllRun(services, manager.start(), env, manager.name);
    const daemon = manager.daemonPid();
    if (!daemon) throw new Error(`${manager.name}: no daemon PID after start`);

    await sleep(options.settleSeconds * 1000);
    const mem = memory(daemon);
    Object.assign(result, mem, { fds: openFds(daemon), nofile: nofileLimit(daemon) });

    log(`${manager.name}: idle CPU over ${options.idleSeconds} s`);
    const ticks0 = procStat(daemon).cpuTicks;
    const nanos0 = cpuNanos(daemon);
    const idle0 = performance.now();
    await sleep(options.idleSeconds * 1000);
    const seconds = (performance.now() - idle0) / 1000;
    result.idleCpuPct = ((procStat(daemon).cpuTicks - ticks0) / CLOCK_TICKS / seconds) * 100;
    result.idleSchedPct = ((cpuNanos(daemon) - nanos0) / 1e9 / seconds) * 100;

    log(`${manager.name}: status`);
    result.statusLoad = os.loadavg()[0];
    record(result, 'statusAllMs', await timesOf(options.statusRuns, manager.statusAll(), env, [0]));
    const table = manager.statusTable();
    if (table) record(result, 'statusTableMs', await timesOf(options.statusRuns, table, env, [0]));
    record(result, 'statusOneMs', await timesOf(options.statusRuns, manager.statusOne(services[1].name), env, [0]));
    record(result, 'nodeFloorMs', await nodeFloorTimes(options.statusRuns, env));

    log(`${manager.name}: ${options.restarts} SIGKILL restarts`);
    record(result, 'restartMs', await restartLatency(services, options.restarts));

    log(`${manager.name}: manager restart`);
    result.restartedByManagerRestart = await managerRestart(manager, services, env);
    await run(manager.stop(), env);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    log(`${manager.name}: ${result.error}`);
  } finally {
    killEverything(manager, services);
    fs.rmSync(home, { recursive: true, force: true });
  }
  return result;
}

/** result[key] is the median of `times`, result[key + 'Spread'] their quartiles. */
function record(result, key, times) {
  result[key] = median(times);
  result[`${key}Spread`] = quartiles(times);
}

/** Restarts the manager; counts the services whose process (PID and start time) changed. */
async function managerRestart(manager, services, env) {
  const before = scanServices(services);
  if (before.size !== services.length) throw new Error(`${before.size} of ${services.length} running before the manager restart`);
  await runOk(manager.restart(), env);
  await pollUntil('every service after the manager restart', () => (scanServices(services).size === services.length ? true : undefined), {
    everyMs: 100,
    timeoutMs: 120_000,
  });
  await sleep(3000);
  const after = scanServices(services);
  let restarted = 0;
  for (const [name, then] of before) {
    const now = after.get(name);
    if (!now || now.pid !== then.pid || now.startTicks !== then.startTicks) restarted += 1;
  }
  return restarted;
}

/**
 * Kills, by PID and start time, the manager's daemon and everything under the subreaper (this
 * benchmark runs under `tini -s`, so whatever a manager detached lands there), then every service.
 */
function killEverything(manager, services) {
  const daemons = new Reaper();
  const rest = new Reaper();
  let daemon;
  try {
    daemon = manager.daemonPid();
  } catch {
    daemon = undefined;
  }
  if (daemon) daemons.track(daemon);
  const subreaper = process.ppid;
  for (const pid of childPids(subreaper)) {
    if (pid === process.pid) continue;
    daemons.track(pid);
    for (const below of descendants(pid)) rest.track(below);
  }
  for (const { pid } of scanServices(services).values()) rest.track(pid);
  daemons.killAll();
  rest.killAll();
}
