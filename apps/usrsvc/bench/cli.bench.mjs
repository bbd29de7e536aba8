// Benchmark of the built `usrsvc` CLI (run `pnpm --filter usrsvc build` first):
//   status all / status all --json / status (table) with 200 running programs, status NAME,
//   and start all -P with 100 programs. Wall-clock medians of whole CLI runs, node start-up
//   included. Every process it starts is killed by PID at the end.
// Usage: node bench/cli.bench.mjs [--runs N]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Reaper } from '@usrsvc/testkit';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 15;
const START_RUNS = 3;
const SUCCESS_SECONDS = 2;

const reaper = new Reaper();

function makeHome(prefix, count, successSeconds) {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  for (const dir of ['cfg', 'logs', 'run']) fs.mkdirSync(path.join(home, dir));
  fs.writeFileSync(path.join(home, 'usrsvc.cfg'), `[Main]\nconfig_dir = ${home}/cfg\npidfile = ${home}/usrsvcd.pid\n`);
  const programs = [];
  for (let i = 0; i < count; i++) {
    const name = `bench${String(i).padStart(3, '0')}`;
    const argv = ['sleep', `3600.${process.pid}${String(i).padStart(4, '0')}`];
    const pidfile = `${home}/run/${name}.pid`;
    fs.writeFileSync(
      `${home}/cfg/${name}.cfg`,
      `[Program:${name}]\ncommand = ${argv.join(' ')}\npidfile = ${pidfile}\nstdout = ${home}/logs/${name}.log\nsuccess_seconds = ${successSeconds}\n`,
    );
    programs.push({ name, argv, pidfile });
  }
  const env = { ...process.env, HOME: home };
  delete env.XDG_RUNTIME_DIR;
  delete env.USRSVC_CONFIG;
  return { home, programs, env };
}

function usrsvc(env, args) {
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const median = (sorted) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);

function timeRuns(label, runs, run) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(run());
  times.sort((a, b) => a - b);
  return { label, median: median(times), min: times[0], max: times[times.length - 1], runs };
}

/** Node's own start-up, timed in the same loop as the command (alternating), so the ratio holds on a loaded machine. */
const nodeStart = () => {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
function timeAgainstNode(label, runs, run) {
  const times = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const node = nodeStart();
    const ms = run();
    times.push(ms);
    ratios.push(ms / node);
  }
  times.sort((a, b) => a - b);
  ratios.sort((a, b) => a - b);
  const ratio = { median: median(ratios), p25: ratios[Math.floor((runs - 1) / 4)], p75: ratios[Math.ceil(((runs - 1) * 3) / 4)] };
  return { label, median: median(times), min: times[0], max: times[times.length - 1], runs, ratio };
}

function expectCode(run, code, what) {
  if (run.code !== code) throw new Error(`${what} exited ${run.code}, expected ${code}:\n${run.stderr.slice(0, 2000)}`);
}

const results = [];
const homes = [];
try {
  results.push(timeRuns('node -e 0 (baseline)', RUNS, () => {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  }));

  // 200 running programs, started directly (as a person or another tool would), pidfiles written.
  const running = makeHome('usrsvc-bench-status-', 200, SUCCESS_SECONDS);
  homes.push(running.home);
  for (const program of running.programs) {
    const child = spawn(program.argv[0], program.argv.slice(1), { detached: true, stdio: 'ignore' });
    child.unref();
    reaper.track(child.pid);
    fs.writeFileSync(program.pidfile, `${child.pid}\n`);
  }
  const check = usrsvc(running.env, ['status', 'all', '--json']);
  expectCode(check, 0, 'status all --json');
  if (JSON.parse(check.stdout).filter((item) => item.running).length !== 200) throw new Error('not every program runs');

  for (const [label, args, code] of [
    ['status all (200 programs)', ['status', 'all'], 0],
    ['status all --json (200 programs)', ['status', 'all', '--json'], 0],
    ['status table (200 programs)', ['status'], 0],
    ['status NAME (200 configured)', ['status', 'bench100'], 0],
  ]) {
    results.push(timeAgainstNode(label, RUNS, () => {
      const run = usrsvc(running.env, args);
      expectCode(run, code, label);
      return run.ms;
    }));
  }
  reaper.killAll();

  // start all -P: 100 programs, each must survive success_seconds.
  const starting = makeHome('usrsvc-bench-start-', 100, SUCCESS_SECONDS);
  homes.push(starting.home);
  results.push(timeRuns(`start all -P (100 programs, success_seconds=${SUCCESS_SECONDS})`, START_RUNS, () => {
    const run = usrsvc(starting.env, ['start', 'all', '-P']);
    for (const { pidfile } of starting.programs) reaper.trackPidfile(pidfile);
    expectCode(run, 0, 'start all -P');
    reaper.killAll();
    for (const { pidfile } of starting.programs) fs.rmSync(pidfile, { force: true });
    return run.ms;
  }));
} finally {
  reaper.killAll();
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
}

const targets = {
  'status all (200 programs)': 150,
  'status all --json (200 programs)': 150,
  'status NAME (200 configured)': 100,
  [`start all -P (100 programs, success_seconds=${SUCCESS_SECONDS})`]: SUCCESS_SECONDS * 1000 + 2000,
};
// Issue 24: a status within 1.4x of `node -e 0` timed alongside it.
const NODE_RATIO_TARGET = 1.4;
console.log(`usrsvc CLI benchmark (node ${process.version}, ${os.cpus().length} cores, loadavg ${fs.readFileSync('/proc/loadavg', 'utf8').trim()})`);
for (const { label, median, min, max, runs, ratio } of results) {
  const target = targets[label] === undefined ? '' : `  target < ${targets[label]} ms ${median < targets[label] ? 'ok' : 'MISSED'}`;
  console.log(`${label.padEnd(52)} median ${median.toFixed(1).padStart(7)} ms  (min ${min.toFixed(1)}, max ${max.toFixed(1)}, ${runs} runs)${target}`);
  if (ratio) {
    const verdict = ratio.median <= NODE_RATIO_TARGET ? 'ok' : 'MISSED';
    console.log(`${''.padEnd(52)}   x node -e 0: median ${ratio.median.toFixed(2)}x (p25 ${ratio.p25.toFixed(2)}, p75 ${ratio.p75.toFixed(2)})  target <= ${NODE_RATIO_TARGET}x ${verdict}`);
  }
}
