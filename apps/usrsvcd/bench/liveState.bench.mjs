#!/usr/bin/env node
// usrsvcd's live state, measured from outside with the built daemon and CLI (build both first):
//   A. pidfile written -> the daemon's event saying "running" (what `usrsvc start` or a program
//      writing its own pidfile makes the daemon see), median of 20;
//   B. idle CPU and wake-ups (context switches of every thread) with 200 programs whose pidfiles
//      sit in 200 watched folders, safety scan off so that only the watches remain;
//   C. SIGKILL -> running again (a new process runs the command), idle, then while another
//      process floods the API (requests on 16 connections, 32 unread event streams, 20 half-open
//      requests); must stay within 2x;
//   D. `usrsvc status` (table) for 200 programs with usrsvcd running, and without it.
// Run under the shared lock: flock /tmp/usrsvc-heavy.lock node bench/liveState.bench.mjs
//   LIVE_BENCH_IDLE_S idle window (default 30), LIVE_BENCH_KILLS kills per condition (default 12)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@usrsvc/api';
import { Reaper } from '@usrsvc/testkit';
import { cpuTicks, isLive, median, readPid, rssKb, sleep, until } from './procStats.mjs';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../usrsvc/dist/bin.js', import.meta.url));
const FLOOD = fileURLToPath(new URL('./apiFlood.mjs', import.meta.url));
const { DAEMON_NODE_FLAGS } = await import('../dist/nodeFlags.js');
const PROGRAMS = 200;
const PROBES = 20;
const IDLE_S = Number(process.env.LIVE_BENCH_IDLE_S ?? 30);
const KILLS = Number(process.env.LIVE_BENCH_KILLS ?? 12);
const STATUS_RUNS = 15;
const CLK_TCK = 100;

const reaper = new Reaper();
const round = (x) => Number(x.toFixed(1));
function contextSwitches(pid) {
  let total = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    const status = fs.readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
    total += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    total += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  return total;
}
function setup() {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvcd-live-bench-')));
  const tag = `${process.pid}${Date.now() % 100000}`;
  const programs = [];
  const sections = [];
  for (let i = 0; i < PROGRAMS; i++) {
    const name = `svc${String(i).padStart(3, '0')}`;
    const command = `sleep 86400.${tag}${String(i).padStart(3, '0')}`;
    // One folder per program: 200 inotify watches.
    const pidfile = path.join(home, 'run', name, `${name}.pid`);
    fs.mkdirSync(path.dirname(pidfile), { recursive: true });
    const probe = i < PROBES;
    programs.push({ name, command, pidfile, probe });
    sections.push(
      `[Program:${name}]\ncommand = ${command}\npidfile = ${pidfile}\nstdout = ${home}/svc.out\nsuccess_seconds = 0.5\n${probe ? 'autostart = False\n' : ''}`,
    );
  }
  fs.writeFileSync(
    path.join(home, 'usrsvc.cfg'),
    `[Main]\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/usrsvcd.log\nusrsvcd_stderr = stdout\n\n${sections.join('\n')}`,
  );
  const env = { ...process.env, HOME: home };
  delete env.XDG_RUNTIME_DIR;
  delete env.USRSVC_CONFIG;
  return { home, programs, env, socket: path.join(home, '.local', 'state', 'usrsvc', 'usrsvcd.sock') };
}

function statusRuns(env, args = ['status']) {
  const times = [];
  for (let i = 0; i < STATUS_RUNS + 1; i++) {
    const t0 = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (run.status !== (args[0] === '--version' ? 138 : 0)) throw new Error(`usrsvc ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    if (i > 0) times.push(ms); // the first run warms the page cache
  }
  return { medianMs: round(median(times)), header: spawnSync(process.execPath, [CLI, 'status'], { env, encoding: 'utf8' }).stdout.split('\n')[0] };
}

/** A live process running `command` other than `old` (the program runs again, before its pidfile is rewritten). */
function processRunning(command, old) {
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!(pid > 0) || pid === old) continue;
    if (pid < old && old < 4_000_000 - 100_000) continue; // pids grow until they wrap
    let cmdline;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (cmdline === command && isLive(pid)) return pid;
  }
  return undefined;
}

async function killLatencies(programs, count) {
  const latencies = [];
  for (let k = 0; k < count; k++) {
    const svc = programs[PROBES + ((k * 13) % (PROGRAMS - PROBES))];
    const old = readPid(svc.pidfile);
    if (!old || !isLive(old)) throw new Error(`${svc.name} is not running before kill ${k}`);
    const t0 = performance.now();
    process.kill(old, 'SIGKILL');
    for (;;) {
      const now = processRunning(svc.command, old);
      if (now) {
        latencies.push(performance.now() - t0);
        reaper.track(now);
        break;
      }
      if (performance.now() - t0 > 15_000) throw new Error(`${svc.name} not running again within 15 s`);
      await new Promise((r) => setImmediate(r));
    }
    await sleep(1_200 + Math.random() * 600);
  }
  return latencies;
}

const { home, programs, env, socket } = setup();
for (const p of programs) reaper.trackPidfile(p.pidfile);
const result = {};
let daemon;
let flood;
try {
  daemon = spawn(process.execPath, [...DAEMON_NODE_FLAGS, BIN, '--foreground'], {
    env: { ...env, USRSVCD_SCAN_INTERVAL_MS: '3600000' },
    stdio: 'ignore',
  });
  reaper.track(daemon.pid);
  const api = createApiClient({ socket, timeoutMs: 5_000 });
  await until('the API', () => fs.existsSync(socket));
  await until(`${PROGRAMS - PROBES} programs running`, async () => {
    const views = await api.programs().catch(() => []);
    return views.filter((v) => v.state.state === 'running').length === PROGRAMS - PROBES;
  });
  for (const p of programs) reaper.trackPidfile(p.pidfile);

  // A. pidfile written -> the daemon's event.
  const aborter = new AbortController();
  const seen = new Map();
  const events = (async () => {
    for await (const { event } of api.events({ signal: aborter.signal })) {
      if (event.type === 'program' && event.program.state.state === 'running') seen.set(`${event.program.name}:${event.program.state.pid}`, performance.now());
    }
  })().catch(() => undefined);
  await sleep(500);
  const seenLatencies = [];
  for (const probe of programs.filter((p) => p.probe)) {
    const [file, ...args] = probe.command.split(' ');
    const child = spawn(file, args, { detached: true, stdio: 'ignore' });
    child.unref();
    reaper.track(child.pid);
    await until('the hand-started process', () => isLive(child.pid));
    const t0 = performance.now();
    const temporary = `${probe.pidfile}.tmp`;
    fs.writeFileSync(temporary, `${child.pid}\n`);
    fs.renameSync(temporary, probe.pidfile);
    const at = await until(`${probe.name} seen`, () => seen.get(`${probe.name}:${child.pid}`), 15_000);
    seenLatencies.push(at - t0);
    await sleep(100);
  }
  aborter.abort();
  await events;
  result.pidfileSeenMedianMs = round(median(seenLatencies));
  result.pidfileSeenMaxMs = round(Math.max(...seenLatencies));

  // B. Idle: 200 programs running, 200 watched folders, no safety scan. First let start-up work
  // (success_seconds checks, V8's idle-time GC after the start-up's allocations) finish.
  await sleep(15_000);
  const ticks0 = cpuTicks(daemon.pid);
  const switches0 = contextSwitches(daemon.pid);
  const tIdle = performance.now();
  await sleep(IDLE_S * 1000);
  const idleS = (performance.now() - tIdle) / 1000;
  result.idleWindowS = Math.round(idleS);
  result.idleCpuPercent = Number((((cpuTicks(daemon.pid) - ticks0) / CLK_TCK / idleS) * 100).toFixed(4));
  result.idleWakeups = contextSwitches(daemon.pid) - switches0;
  result.rssMb = round(rssKb(daemon.pid) / 1024);

  // D. usrsvc status for 200 with usrsvcd (read through the API).
  result.statusWithDaemon = statusRuns(env);
  result.cliFloor = statusRuns(env, ['--version']);

  // C. SIGKILL -> running again, idle then under API load.
  const idle = await killLatencies(programs, KILLS);
  flood = spawn(process.execPath, [FLOOD, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  reaper.track(flood.pid);
  let floodReport = '';
  flood.stdout.on('data', (c) => {
    floodReport += c;
  });
  await until('the flood to start', () => floodReport.includes('flooding'));
  const loaded = await killLatencies(programs, KILLS);
  flood.kill('SIGTERM');
  await new Promise((r) => (flood.exitCode !== null ? r() : flood.once('exit', r)));
  result.killToRunningIdleMedianMs = round(median(idle));
  result.killToRunningUnderLoadMedianMs = round(median(loaded));
  result.loadRatio = round(median(loaded) / median(idle));
  result.flood = floodReport.trim().split('\n').pop();

  daemon.kill('SIGTERM');
  await new Promise((r) => (daemon.exitCode !== null ? r() : daemon.once('exit', r)));
  result.statusWithoutDaemon = statusRuns(env);
} finally {
  if (flood && flood.exitCode === null) flood.kill('SIGKILL');
  if (daemon && daemon.exitCode === null) daemon.kill('SIGKILL');
  for (const p of programs) reaper.trackPidfile(p.pidfile);
  reaper.killAll();
  fs.rmSync(home, { recursive: true, force: true });
}
console.log(
  [
    `pidfile written -> seen by usrsvcd: median ${result.pidfileSeenMedianMs} ms (max ${result.pidfileSeenMaxMs} ms, ${PROBES} runs)`,
    `idle with ${PROGRAMS} programs in ${PROGRAMS} watched folders, no safety scan: CPU ${result.idleCpuPercent} % of a core, ${result.idleWakeups} context switches in ${result.idleWindowS} s, RSS ${result.rssMb} MB`,
    `SIGKILL -> running again: idle median ${result.killToRunningIdleMedianMs} ms, under API flood ${result.killToRunningUnderLoadMedianMs} ms (x${result.loadRatio}); flood: ${result.flood}`,
    `usrsvc status (${PROGRAMS} programs): with usrsvcd ${result.statusWithDaemon.medianMs} ms median (${result.statusWithDaemon.header.trim()}), without ${result.statusWithoutDaemon.medianMs} ms; usrsvc --version (the CLI's floor) ${result.cliFloor.medianMs} ms`,
  ].join('\n'),
);
console.log(JSON.stringify(result));
