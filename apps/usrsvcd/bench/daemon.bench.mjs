#!/usr/bin/env node
// usrsvcd benchmark: 200 sleep services, both exit-watch modes.
//   USRSVCD_BENCH_IDLE_S   idle measurement window in seconds (default 60)
//   USRSVCD_BENCH_SERVICES number of services (default 200)
//   USRSVCD_BENCH_KILLS    SIGKILLs for the latency measurement (default 20)
//   USRSVCD_BENCH_MODES    comma list of pidfd,poll (default both)
// Run it as `pnpm bench` (it takes /tmp/usrsvc-heavy.lock itself via flock in package.json).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuTicks, isLive, median, p95, rssKb, sleep } from './procStats.mjs';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
// The flags `usrsvcd` runs with (bin shebang, detached start); USRSVCD_BENCH_NODE_FLAGS overrides.
const { DAEMON_NODE_FLAGS } = await import('../dist/nodeFlags.js');
const NODE_FLAGS = process.env.USRSVCD_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? DAEMON_NODE_FLAGS;
const IDLE_S = Number(process.env.USRSVCD_BENCH_IDLE_S ?? 60);
const SERVICES = Number(process.env.USRSVCD_BENCH_SERVICES ?? 200);
const KILLS = Number(process.env.USRSVCD_BENCH_KILLS ?? 20);
const MODES = (process.env.USRSVCD_BENCH_MODES ?? 'pidfd,poll').split(',');
const CLK_TCK = 100;

const readPid = (file) => {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
};
function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** Live processes among /proc entries with pid > minPid whose cmdline is one of `wanted`: cmdline -> pid. */
function findServices(wanted, minPid = 0) {
  const found = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!(pid > minPid)) continue;
    const cmd = cmdline(pid);
    if (cmd && wanted.has(cmd) && isLive(pid)) found.set(cmd, pid);
  }
  return found;
}

function setup() {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvcd-bench-')));
  const tag = `${process.pid}${Date.now() % 100000}`;
  const services = [];
  const sections = [];
  for (let i = 0; i < SERVICES; i++) {
    const command = `sleep 86400.${tag}${String(i).padStart(3, '0')}`;
    const pidfile = path.join(home, `svc${i}.pid`);
    services.push({ name: `svc${i}`, command, pidfile });
    sections.push(`[Program:svc${i}]\ncommand = ${command}\npidfile = ${pidfile}\nstdout = ${home}/svc.out\nsuccess_seconds = 1\n`);
  }
  fs.writeFileSync(
    path.join(home, 'usrsvc.cfg'),
    `[Main]\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/usrsvcd.log\nusrsvcd_stderr = stdout\n\n${sections.join('\n')}`,
  );
  return { home, services };
}

async function runMode(mode) {
  const { home, services } = setup();
  const env = { ...process.env, HOME: home };
  delete env.XDG_RUNTIME_DIR;
  delete env.USRSVC_CONFIG;
  if (mode === 'poll') env.USRSVC_EXITWATCH = 'poll';
  else delete env.USRSVC_EXITWATCH;
  const wanted = new Set(services.map((s) => s.command));
  const seen = new Set();
  const result = { mode };
  const t0 = performance.now();
  const daemon = spawn(process.execPath, [...NODE_FLAGS, BIN, '--foreground'], { env, stdio: 'ignore' });
  try {
    // 1. Start-up: until every service runs.
    for (;;) {
      const found = findServices(wanted);
      for (const pid of found.values()) seen.add(pid);
      if (found.size === services.length) break;
      if (performance.now() - t0 > 60_000) throw new Error(`only ${found.size}/${services.length} running after 60 s`);
      await sleep(10);
    }
    result.startAllMs = Math.round(performance.now() - t0);
    const log = () => fs.readFileSync(`${home}/usrsvcd.log`, 'utf8');
    while ((log().match(/\) - started as pid/g) ?? []).length < services.length) await sleep(100);
    result.watchLine = /exit watch: [^;]*/.exec(log())?.[0];
    await sleep(15_000); // let start-up work (success_seconds checks, idle-time GC) finish

    // 2. Idle CPU and RSS.
    const before = cpuTicks(daemon.pid);
    const tIdle = performance.now();
    await sleep(IDLE_S * 1000);
    const seconds = (performance.now() - tIdle) / 1000;
    const ticks = cpuTicks(daemon.pid) - before;
    result.idleWindowS = Math.round(seconds);
    result.idleCpuPercent = Number(((ticks / CLK_TCK / seconds) * 100).toFixed(4));
    result.idleCpuTicks = ticks;
    result.rssMb = Number((rssKb(daemon.pid) / 1024).toFixed(1));

    // 3. SIGKILL -> running again.
    const latencies = [];
    for (let k = 0; k < KILLS; k++) {
      const svc = services[(k * 7) % services.length];
      const old = findServices(new Set([svc.command])).get(svc.command);
      if (!old) throw new Error(`${svc.name} is not running before kill ${k}`);
      const tKill = performance.now();
      process.kill(old, 'SIGKILL');
      for (;;) {
        const again = findServicesAfter(svc.command, old);
        if (again) {
          seen.add(again);
          latencies.push(performance.now() - tKill);
          break;
        }
        if (performance.now() - tKill > 10_000) throw new Error(`${svc.name} not restarted within 10 s`);
        await new Promise((r) => setImmediate(r));
      }
      // Spacing with jitter, so kills do not land at one phase of a poll timer.
      await sleep(1_200 + Math.random() * 600);
    }
    result.killToRunningMedianMs = Number(median(latencies).toFixed(1));
    result.killToRunningP95Ms = Number(p95(latencies).toFixed(1));
    result.killToRunningMs = latencies.map((l) => Math.round(l));
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((r) => (daemon.exitCode !== null ? r() : daemon.once('exit', r)));
    for (const s of services) {
      const pid = readPid(s.pidfile);
      if (pid) seen.add(pid);
    }
    for (const pid of findServices(wanted).values()) seen.add(pid);
    for (const pid of seen) {
      if (wanted.has(cmdline(pid) ?? '')) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
    }
    fs.rmSync(home, { recursive: true, force: true });
  }
  return result;
}

/** A live process running `command` other than `old`: only /proc entries newer than old are read. */
const procEntries = () => fs.readdirSync('/proc');
function findServicesAfter(command, old) {
  for (const entry of procEntries()) {
    const pid = Number(entry);
    if (!(pid > 0) || pid === old) continue;
    if (pid < old && old < 4_000_000 - 100_000) continue; // pids grow until they wrap
    if (cmdline(pid) === command && isLive(pid)) return pid;
  }
  return undefined;
}

const results = [];
for (const mode of MODES) {
  process.stderr.write(`usrsvcd bench: ${mode} mode, ${SERVICES} services, idle window ${IDLE_S} s, node ${NODE_FLAGS.join(' ')}...\n`);
  results.push(await runMode(mode));
}
for (const r of results) {
  console.log(
    `${r.mode.padEnd(5)} start-all ${r.startAllMs} ms | idle CPU ${r.idleCpuPercent} % of a core (${r.idleCpuTicks} ticks in ${r.idleWindowS} s) | RSS ${r.rssMb} MB | SIGKILL->running median ${r.killToRunningMedianMs} ms, p95 ${r.killToRunningP95Ms} ms | ${r.watchLine}`,
  );
}
console.log(JSON.stringify(results));
