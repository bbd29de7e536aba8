#!/usr/bin/env node
// `supervisorctl status` (Debian's, against usrsvcd's API socket over supervisor XML-RPC) next to
// `usrsvc status`, both for 200 running programs: medians and spread of 10 runs each (after one
// warm-up), interleaved so that load hits both alike; the load average is printed with them.
// Build first (pnpm --filter @usrsvc/usrsvcd... build && pnpm --filter usrsvc... build).
//   node bench/supervisorctl.bench.mjs        SUPERVISORCTL_BENCH_RUNS (default 10)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Reaper } from '@usrsvc/testkit';
import { isLive, median, rssKb, sleep } from './procStats.mjs';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../usrsvc/dist/bin.js', import.meta.url));
const { DAEMON_NODE_FLAGS } = await import('../dist/nodeFlags.js');
const PROGRAMS = 200;
const RUNS = Number(process.env.SUPERVISORCTL_BENCH_RUNS ?? 10);
const reaper = new Reaper();
const round = (x) => Number(x.toFixed(1));

const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvcd-supervisorctl-bench-')));
const tag = `${process.pid}${Date.now() % 100000}`;
const sections = [];
const pidfiles = [];
for (let i = 0; i < PROGRAMS; i++) {
  const name = `svc${String(i).padStart(3, '0')}`;
  const pidfile = path.join(home, 'run', `${name}.pid`);
  pidfiles.push(pidfile);
  sections.push(`[Program:${name}]\ncommand = sleep 86400.${tag}${String(i).padStart(3, '0')}\npidfile = ${pidfile}\nstdout = ${home}/svc.out\nsuccess_seconds = 0.5\n`);
}
fs.mkdirSync(path.join(home, 'run'));
fs.writeFileSync(path.join(home, 'usrsvc.cfg'), `[Main]\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/usrsvcd.log\nusrsvcd_stderr = stdout\n\n${sections.join('\n')}`);
const env = { ...process.env, HOME: home };
delete env.XDG_RUNTIME_DIR;
delete env.USRSVC_CONFIG;
const socket = path.join(home, '.local', 'state', 'usrsvc', 'usrsvcd.sock');

const readPid = (file) => {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
};

function timed(command, args, expectCode) {
  const t0 = process.hrtime.bigint();
  const run = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (run.status !== expectCode) throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stdout.slice(0, 400)} ${run.stderr}`);
  return { ms, lines: run.stdout.trim().split('\n').length };
}

const spread = (xs) => `${round(Math.min(...xs))}-${round(Math.max(...xs))}`;

const daemon = spawn(process.execPath, [...DAEMON_NODE_FLAGS, BIN, '--foreground'], { env, stdio: 'ignore' });
reaper.track(daemon.pid);
try {
  const deadline = Date.now() + 120_000;
  while (!(fs.existsSync(socket) && pidfiles.every((f) => isLive(readPid(f) ?? 0)))) {
    if (Date.now() > deadline) throw new Error('the 200 programs did not all start within 120 s');
    await sleep(100);
  }
  for (const f of pidfiles) reaper.track(readPid(f));
  const ctlArgs = ['-s', `unix://${socket}`, 'status'];
  // Wait until supervisorctl sees all 200 RUNNING (the daemon's view has caught up).
  while (!/^(?:svc\d{3}\s+RUNNING.*\n?){200}$/.test(spawnSync('supervisorctl', ctlArgs, { env, encoding: 'utf8' }).stdout)) await sleep(200);
  timed('supervisorctl', ctlArgs, 0);
  timed(process.execPath, [CLI, 'status'], 0);
  const ctl = [];
  const usrsvc = [];
  const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  for (let i = 0; i < RUNS; i++) {
    const a = timed('supervisorctl', ctlArgs, 0);
    if (a.lines !== PROGRAMS) throw new Error(`supervisorctl status printed ${a.lines} lines`);
    ctl.push(a.ms);
    usrsvc.push(timed(process.execPath, [CLI, 'status'], 0).ms);
  }
  const pythonFloor = [];
  for (let i = 0; i < RUNS; i++) pythonFloor.push(timed('/usr/bin/python3', ['-c', 'import supervisor.supervisorctl'], 0).ms);
  // The daemon's share: getAllProcessInfo of 200 from one warm python3 process (no interpreter start).
  const inProcess = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      `import sys, time, json
from supervisor.xmlrpc import SupervisorTransport
import xmlrpc.client
p = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(None, None, 'unix://' + sys.argv[1]))
p.supervisor.getAllProcessInfo()
times = []
for _ in range(${RUNS}):
    t0 = time.perf_counter(); n = len(p.supervisor.getAllProcessInfo()); times.append((time.perf_counter() - t0) * 1000)
    assert n == ${PROGRAMS}
print(json.dumps(times))`,
      socket,
    ],
    { env, encoding: 'utf8' },
  );
  if (inProcess.status !== 0) throw new Error(inProcess.stderr);
  const rpcCall = JSON.parse(inProcess.stdout);
  const loadAfter = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  const result = {
    programs: PROGRAMS,
    runs: RUNS,
    supervisorctlStatusMs: { median: round(median(ctl)), spread: spread(ctl) },
    usrsvcStatusMs: { median: round(median(usrsvc)), spread: spread(usrsvc) },
    pythonImportSupervisorctlMs: { median: round(median(pythonFloor)), spread: spread(pythonFloor) },
    getAllProcessInfoCallMs: { median: round(median(rpcCall)), spread: spread(rpcCall) },
    daemonRssKb: rssKb(daemon.pid),
    loadavg: { before: loadBefore, after: loadAfter },
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `status of ${PROGRAMS} programs, median of ${RUNS} (min-max): supervisorctl ${result.supervisorctlStatusMs.median} ms (${result.supervisorctlStatusMs.spread}), usrsvc ${result.usrsvcStatusMs.median} ms (${result.usrsvcStatusMs.spread}); python3 importing supervisorctl alone ${result.pythonImportSupervisorctlMs.median} ms; one getAllProcessInfo call ${result.getAllProcessInfoCallMs.median} ms (${result.getAllProcessInfoCallMs.spread}); load ${loadBefore} -> ${loadAfter}`,
  );
} finally {
  try {
    process.kill(daemon.pid, 'SIGTERM');
  } catch {}
  const until = Date.now() + 8000;
  while (isLive(daemon.pid) && Date.now() < until) await sleep(50);
  reaper.killAll();
  fs.rmSync(home, { recursive: true, force: true });
}
