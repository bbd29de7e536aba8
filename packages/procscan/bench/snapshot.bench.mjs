// Benchmark: full snapshots (ours vs ps-list) with the machine's own processes and with 2,000
// extra sleeping processes, and the single-process identity calls. Run with `pnpm bench`
// (after `pnpm build`). Every figure is the median of several runs.
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { Reaper } from '@usrsvc/testkit';
import psList from 'ps-list';
import {
  isAlive,
  isSameProcess,
  processIdentity,
  readProcess,
  snapshotProcesses,
  snapshotProcessesSync,
} from '../dist/index.js';

const EXTRA_PROCESSES = Number(process.env.BENCH_EXTRA ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const reaper = new Reaper();
const sleepers = [];

process.on('exit', () => reaper.killAll());
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    reaper.killAll();
    process.exit(130);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Median over RUNS of the mean time of one call (ms), each run `iterations` calls after a warm-up. */
async function measure(iterations, fn) {
  for (let i = 0; i < Math.min(iterations, 5); i += 1) await fn();
  const perCall = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await fn();
    perCall.push(Number(process.hrtime.bigint() - start) / 1e6 / iterations);
  }
  return median(perCall);
}

const rows = [];
async function snapshotRow(label, iterations, fn) {
  let size = 0;
  const ms = await measure(iterations, async () => {
    size = await fn();
  });
  rows.push({ case: label, processes: size, 'total ms': ms.toFixed(2), 'µs/process': ((ms * 1000) / size).toFixed(1) });
}

async function snapshotRows(scenario, fast, slow) {
  const uid = process.getuid();
  await snapshotRow(`${scenario}: snapshotProcessesSync()`, fast, () => snapshotProcessesSync().size);
  await snapshotRow(`${scenario}: snapshotProcesses()`, fast, async () => (await snapshotProcesses()).size);
  await snapshotRow(`${scenario}: snapshotProcessesSync({ exactRss: true })`, fast, () => snapshotProcessesSync({ exactRss: true }).size);
  await snapshotRow(`${scenario}: snapshotProcessesSync({ uid })`, fast, () => snapshotProcessesSync({ uid }).size);
  const scanned = snapshotProcessesSync().size;
  await snapshotRow(`${scenario}: snapshotProcessesSync({ uid: 65534 }) (other users skipped)`, fast, () => {
    snapshotProcessesSync({ uid: 65534 });
    return scanned;
  });
  await snapshotRow(`${scenario}: snapshotProcesses({ backend: 'ps-list' })`, slow, async () => (await snapshotProcesses({ backend: 'ps-list' })).size);
  await snapshotRow(`${scenario}: ps-list itself`, slow, async () => (await psList()).length);
}

async function startSleepers(count) {
  for (let i = 0; i < count; i += 1) {
    const child = spawn('sleep', ['600'], { stdio: 'ignore' });
    child.on('error', () => {});
    if (child.pid !== undefined) {
      reaper.track(child.pid);
      sleepers.push(child.pid);
    }
    child.unref();
  }
  // wait until every one has exec'd sleep, so the table is the one we mean to measure
  for (;;) {
    const table = snapshotProcessesSync();
    if (sleepers.every((pid) => table.get(pid)?.argv[0] === 'sleep')) return;
    await delay(100);
  }
}

try {
  await snapshotRows('own processes', 50, 5);

  const identity = processIdentity(process.pid);
  const identityRows = [
    ['isSameProcess(identity)', () => isSameProcess(identity)],
    ['processIdentity(pid)', () => processIdentity(process.pid)],
    ['isAlive(pid)', () => isAlive(process.pid)],
    ['readProcess(pid)', () => readProcess(process.pid)],
  ];
  for (const [label, fn] of identityRows) {
    const ms = await measure(20_000, fn);
    rows.push({ case: label, processes: 1, 'total ms': ms.toFixed(4), 'µs/process': (ms * 1000).toFixed(1) });
  }

  await startSleepers(EXTRA_PROCESSES);
  await snapshotRows(`+${EXTRA_PROCESSES} sleeping`, 10, 3);
} finally {
  reaper.killAll();
}

console.log(`procscan benchmark: node ${process.version}, ${RUNS} runs per figure, medians`);
console.table(rows);
