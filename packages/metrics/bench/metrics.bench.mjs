#!/usr/bin/env node
// @usrsvc/metrics benchmark: what the metrics of N programs cost usrsvcd.
//   METRICS_BENCH_PROGRAMS  programs (default 200, each with 2 monitors)
//   METRICS_BENCH_RUNS      measured runs (default 200, after 20 warm-up runs)
// Prints medians and p95 of: update+render (what a scrape of GET /metrics costs the daemon, and
// what each textfile write renders), with every program changed and with none, the textfile write
// (render + temp file + rename), and the refresh between renders (utimes only).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TextfileWriter, UsrsvcMetrics } from '../dist/index.js';

const PROGRAMS = Number(process.env.METRICS_BENCH_PROGRAMS ?? 200);
const RUNS = Number(process.env.METRICS_BENCH_RUNS ?? 200);
const WARMUP = 20;

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const p95 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x) => `${x.toFixed(3)} ms`;

const now = Date.now();
const daemon = {
  pid: process.pid, version: '0.1.0', startedAt: new Date(now - 3_600_000).toISOString(), user: 'bench', host: os.hostname(),
  exitWatch: { mode: 'pidfd' }, configFiles: [], socket: '/tmp/x.sock', lastReread: null,
};
const states = [
  (i) => ({ state: 'running', pid: 10_000 + i, since: new Date(now).toISOString() }),
  () => ({ state: 'backoff', attempt: 2, nextAttemptAt: new Date(now).toISOString(), delayMs: 1000 }),
  () => ({ state: 'gave-up', afterRestarts: 3, since: new Date(now).toISOString() }),
  () => ({ state: 'stopped-by-user', since: new Date(now).toISOString() }),
];
const programs = (tick) =>
  Array.from({ length: PROGRAMS }, (_, i) => {
    const state = i % 10 === 0 ? states[1 + (i % 3)](i) : states[0](i);
    return {
      name: `service-${i}`, enabled: true, autoStart: true, autoRestart: true, maxRestarts: 0, state, restarts: 0,
      restartCounts: { crash: i % 7 + tick, monitor: i % 3, watchdog: 0, manual: 0, change: 0 },
      process: state.state === 'running'
        ? { pid: state.pid, cmdline: `/usr/bin/service-${i}`, argv: [], startTime: new Date(now - i * 1000).toISOString(), uptimeSeconds: i, rssKb: 2048 + i, foundBy: 'launch' }
        : null,
      lastExit: null,
      monitors: [
        { monitor: 'rss', verdict: 'ok', checkedAt: new Date(now).toISOString(), durationMs: 0.1 },
        { monitor: 'http', verdict: i % 13 ? 'ok' : 'timeout', checkedAt: new Date(now).toISOString(), durationMs: 12 },
      ],
      leftovers: [], stdout: '/dev/null', stderr: '/dev/null',
    };
  });
const alerts = { mail: { sent: 3, failed: 0 }, webhook: { sent: 5, failed: 1 }, alertmanager: { sent: 9, failed: 0 } };

const metrics = new UsrsvcMetrics();
const renders = [];
const unchanged = [];
let text = '';
for (let run = 0; run < WARMUP + RUNS; run += 1) {
  // Every program changed (its crash count): the worst case.
  const snapshot = { daemon, programs: programs(run), alerts };
  let started = performance.now();
  metrics.update(snapshot);
  text = await metrics.render();
  if (run >= WARMUP) renders.push(performance.now() - started);
  // Nothing changed since the last update: the usual scrape.
  const same = { daemon, programs: programs(run), alerts };
  started = performance.now();
  metrics.update(same);
  await metrics.render();
  if (run >= WARMUP) unchanged.push(performance.now() - started);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-metrics-bench-'));
const writer = new TextfileWriter({ path: path.join(dir, 'usrsvc-bench.prom'), render: () => metrics.render() });
const writes = [];
for (let run = 0; run < WARMUP + RUNS; run += 1) {
  metrics.update({ daemon, programs: programs(1000 + run), alerts }); // a change: the text differs
  const started = performance.now();
  await writer.flush();
  if (run >= WARMUP) writes.push(performance.now() - started);
}
const touches = [];
const file = path.join(dir, 'usrsvc-bench.prom');
for (let run = 0; run < WARMUP + RUNS; run += 1) {
  const started = performance.now();
  const when = new Date();
  await fs.promises.utimes(file, when, when);
  if (run >= WARMUP) touches.push(performance.now() - started);
}
await writer.close();
fs.rmSync(dir, { recursive: true, force: true });

console.log(`@usrsvc/metrics, ${PROGRAMS} programs (2 monitors each), ${text.split('\n').filter((l) => l && !l.startsWith('#')).length} series, ${(Buffer.byteLength(text) / 1024).toFixed(0)} kB of text, ${RUNS} runs`);
console.log(`  update + render, every program changed: median ${ms(median(renders))}, p95 ${ms(p95(renders))}`);
console.log(`  update + render, nothing changed:       median ${ms(median(unchanged))}, p95 ${ms(p95(unchanged))}`);
console.log(`  textfile write after a change (render + temp + rename): median ${ms(median(writes))}, p95 ${ms(p95(writes))}`);
console.log(`  textfile refresh without change (utimes): median ${ms(median(touches))}, p95 ${ms(p95(touches))}`);
