#!/usr/bin/env node
// Where a cold start of usrsvcd spends its time: `usrsvcd` (no arguments, as `pnpm bench:peers`
// starts it) against N services, watched from outside with a 1 ms poll of the new PIDs (the test
// of bench/peers/services.mjs), and from inside through the daemon's JSON debug log. Prints, per
// run: when the daemon process was exec'd, when it logged its start and its configuration, its
// first and last launch, when the first, middle and last service's argv appeared, and the CPU
// the daemon and the services had used by then.
//
//   node apps/usrsvcd/bench/coldStart.trace.mjs [--services 200] [--kind python|sleep] [--runs 3]
//        [--bin apps/usrsvc/dist/usrsvcd.cjs[,OTHER_BIN...]] [--no-debug] [--code-cache DIR]
// --code-cache: every run's XDG_CACHE_HOME (each run has a fresh HOME, so without it every start
// is a user's first, with no V8 code cache); a warm-up round that is not counted fills it first.
// Several bins (comma-separated) are run in turn, one run of each per round, so that load
// changes hit them alike. --debug (the default) makes the daemon log each launch: a little slower.
// Run it under the shared lock: flock /tmp/usrsvc-heavy.lock node apps/usrsvcd/bench/coldStart.trace.mjs
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Reaper } from '@usrsvc/testkit';
import { cmdline, cpuNanos } from '../../../bench/peers/procfs.mjs';
import { median, sleep } from '../../../bench/peers/run.mjs';
import { makeServices, NewServiceWatch, scanServices } from '../../../bench/peers/services.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '200' },
    kind: { type: 'string', default: 'python' },
    runs: { type: 'string', default: '3' },
    bin: { type: 'string', default: path.resolve(here, '../../usrsvc/dist/usrsvcd.cjs') },
    'no-debug': { type: 'boolean', default: false },
    'code-cache': { type: 'string' },
  },
});
const count = Number(values.services);
const services =
  values.kind === 'sleep'
    ? Array.from({ length: count }, (_, i) => {
        const argv = ['/usr/bin/sleep', String(1_000_000 + i)];
        return { index: i, name: `svc${i}`, argv, title: argv.join(' ') };
      })
    : makeServices(count);

function prepare(home) {
  for (const sub of ['cfg', 'logs', 'pids']) fs.mkdirSync(path.join(home, sub));
  fs.writeFileSync(
    path.join(home, 'usrsvc.cfg'),
    `[Main]\nconfig_dir = ${home}/cfg\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/logs/usrsvcd.log\nusrsvcd_log_format = json\n`,
  );
  const quoted = (argv) => argv.map((word) => (/[\s'"(),;*]/.test(word) ? `'${word}'` : word)).join(' ');
  const sections = services.map((s) => `[Program:${s.name}]\ncommand = ${quoted(s.argv)}\npidfile = ${home}/pids/${s.name}.pid\nstdout = ${home}/logs/${s.name}.log\n`);
  fs.writeFileSync(path.join(home, 'cfg', 'services.cfg'), sections.join('\n'));
}

/** Milliseconds since the epoch of the daemon's log lines that say what we look for. */
function logMarks(home) {
  const marks = { launches: [] };
  let text = '';
  try {
    text = fs.readFileSync(path.join(home, 'logs', 'usrsvcd.log'), 'utf8');
  } catch {
    return marks;
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const record = JSON.parse(line);
    const at = Date.parse(record.time);
    if (record.message.startsWith('usrsvcd started as pid')) marks.started = at;
    else if (record.message.startsWith('Configuration:')) marks.configured = at;
    else if (record.message.startsWith('launched ')) marks.launches.push(at);
  }
  return marks;
}

async function oneRun(run, bin) {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvcd-cold-trace-')));
  prepare(home);
  const env = { ...process.env, HOME: home };
  delete env.XDG_RUNTIME_DIR;
  delete env.USRSVC_CONFIG;
  if (values['code-cache']) env.XDG_CACHE_HOME = path.resolve(values['code-cache']);
  const watch = new NewServiceWatch(services);
  const seen = new Map();
  const reaper = new Reaper();
  let daemon;
  let daemonExecMs;
  let frontExitMs;
  const t0 = performance.now();
  const epoch0 = Date.now();
  // As a user runs it: the bin itself, its shebang picking node and the daemon's flags.
  const front = spawn(bin, values['no-debug'] ? [] : ['--debug'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  front.on('exit', () => {
    frontExitMs = performance.now() - t0;
  });
  let cpuAtLast;
  try {
    const deadline = Date.now() + 120_000;
    while (seen.size < services.length) {
      if (Date.now() > deadline) throw new Error(`timed out with ${seen.size} of ${services.length} running`);
      const pending = [...watch.pending.keys()];
      for (const found of watch.poll()) seen.set(found.name, { pid: found.pid, ms: performance.now() - t0 });
      if (daemon === undefined) {
        for (const pid of pending) {
          const title = cmdline(pid);
          if (title.includes('usrsvcd') && title.includes('--foreground')) {
            daemon = pid;
            daemonExecMs = performance.now() - t0;
            reaper.track(pid);
          }
        }
      }
      if (seen.size < services.length) await sleep(1);
    }
    const serviceNanos = [...seen.values()].reduce((sum, { pid }) => sum + (cpuNanos(pid) ?? 0), 0);
    cpuAtLast = { daemonMs: daemon ? (cpuNanos(daemon) ?? 0) / 1e6 : Number.NaN, servicesMs: serviceNanos / 1e6 };
  } finally {
    for (const { pid } of scanServices(services).values()) reaper.track(pid);
    await new Promise((resolve) => (front.exitCode === null ? front.on('exit', resolve) : resolve()));
    // SIGTERM (the services are left running), then everything is killed by PID.
    spawnSync(bin, ['stop'], { env, stdio: 'ignore' });
    reaper.killAll();
  }
  const times = [...seen.values()].map((s) => s.ms).sort((a, b) => a - b);
  const marks = logMarks(home);
  fs.rmSync(home, { recursive: true, force: true });
  const fromLog = (at) => (at === undefined ? Number.NaN : at - epoch0);
  const row = {
    run,
    daemonExec: daemonExecMs,
    frontExit: frontExitMs,
    daemonStarted: fromLog(marks.started),
    configured: fromLog(marks.configured),
    firstLaunch: fromLog(marks.launches[0]),
    lastLaunch: fromLog(marks.launches.at(-1)),
    firstRunning: times[0],
    halfRunning: times[times.length >> 1],
    allRunning: times.at(-1),
    daemonCpu: cpuAtLast.daemonMs,
    servicesCpu: cpuAtLast.servicesMs,
  };
  return row;
}

const bins = values.bin.split(',').map((bin) => path.resolve(bin));
const rows = new Map(bins.map((bin) => [bin, []]));
const format = (row) => Object.entries(row).map(([key, value]) => `${key} ${Math.round(value)}`).join('  ');
process.stdout.write(`load ${fs.readFileSync('/proc/loadavg', 'utf8')}`);
if (values['code-cache']) for (const bin of bins) await oneRun(0, bin);
for (let run = 1; run <= Number(values.runs); run++) {
  for (const [i, bin] of bins.entries()) {
    const row = await oneRun(run, bin);
    rows.get(bin).push(row);
    process.stdout.write(`[${i}] ${format(row)}\n`);
    await sleep(1000);
  }
}
for (const [i, bin] of bins.entries()) {
  const own = rows.get(bin);
  const keys = Object.keys(own[0]).filter((key) => key !== 'run');
  const spread = (key) => {
    const sorted = own.map((r) => r[key]).sort((a, b) => a - b);
    return `${Math.round(median(sorted))} [${Math.round(sorted[0])}-${Math.round(sorted.at(-1))}]`;
  };
  process.stdout.write(`[${i}] ${bin}\n    median [min-max] of ${own.length} (${values.kind}, ${count} services): ${keys.map((key) => `${key} ${spread(key)}`).join('  ')}\n`);
}
process.stdout.write(`load ${fs.readFileSync('/proc/loadavg', 'utf8')}`);
