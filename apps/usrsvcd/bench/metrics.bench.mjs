#!/usr/bin/env node
// What metrics cost usrsvcd with 200 services: idle CPU with [Main] metrics_textfile off and on,
// the time from a SIGKILL to the textfile showing the restart (restart + 250 ms debounce + render
// + write), and GET /metrics over the socket (the daemon's views, update, render).
//   USRSVCD_BENCH_IDLE_S    idle window per configuration in seconds (default 60)
//   USRSVCD_BENCH_SERVICES  number of services (default 200)
//   USRSVCD_BENCH_SCRAPES   scrapes of GET /metrics (default 50, 1.1 s apart: past the 1 s cache)
//   USRSVCD_BENCH_ROUNDS    off/on rounds (default 1)
// Run it under the shared lock: flock /tmp/usrsvc-heavy.lock node bench/metrics.bench.mjs
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiSocketPath } from '@usrsvc/api';
import { Reaper } from '@usrsvc/testkit';
import { cpuTicks, median, p95, rssKb, sleep } from './procStats.mjs';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const { DAEMON_NODE_FLAGS } = await import('../dist/nodeFlags.js');
const IDLE_S = Number(process.env.USRSVCD_BENCH_IDLE_S ?? 60);
const SERVICES = Number(process.env.USRSVCD_BENCH_SERVICES ?? 200);
const SCRAPES = Number(process.env.USRSVCD_BENCH_SCRAPES ?? 50);
const ROUNDS = Number(process.env.USRSVCD_BENCH_ROUNDS ?? 1);
const CLK_TCK = 100;

const rssMb = (pid) => rssKb(pid) / 1024;

function scrape(socket) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get({ socketPath: socket, path: '/metrics' }, (response) => {
        let bytes = 0;
        response.on('data', (chunk) => (bytes += chunk.length));
        response.on('end', () => resolve({ ms: performance.now() - started, bytes, status: response.statusCode }));
      })
      .on('error', reject);
  });
}

async function runConfig(textfile) {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvcd-metrics-bench-')));
  const reaper = new Reaper();
  const tag = `${process.pid}${Date.now() % 100000}`;
  const sections = [];
  const pidfiles = [];
  for (let i = 0; i < SERVICES; i++) {
    const pidfile = path.join(home, `svc${i}.pid`);
    pidfiles.push(pidfile);
    sections.push(`[Program:svc${i}]\ncommand = sleep 86400.${tag}${String(i).padStart(3, '0')}\npidfile = ${pidfile}\nstdout = ${home}/svc.out\nsuccess_seconds = 1\n`);
  }
  const promFile = path.join(home, 'textfile', `usrsvc-${os.userInfo().username}.prom`);
  fs.mkdirSync(path.dirname(promFile));
  fs.writeFileSync(
    path.join(home, 'usrsvc.cfg'),
    `[Main]\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/usrsvcd.log\nusrsvcd_stderr = stdout\n${textfile ? `metrics_textfile = ${promFile}\n` : ''}\n${sections.join('\n')}`,
  );
  const env = { ...process.env, HOME: home };
  delete env.XDG_RUNTIME_DIR;
  delete env.USRSVC_CONFIG;
  delete env.USRSVC_EXITWATCH;
  const daemon = spawn(process.execPath, [...DAEMON_NODE_FLAGS, BIN, '--foreground'], { env, stdio: 'ignore' });
  reaper.track(daemon.pid);
  const result = { textfile };
  try {
    const log = () => {
      try {
        return fs.readFileSync(`${home}/usrsvcd.log`, 'utf8');
      } catch {
        return '';
      }
    };
    const t0 = performance.now();
    while ((log().match(/\) - started as pid/g) ?? []).length < SERVICES) {
      if (performance.now() - t0 > 120_000) throw new Error('services did not all start within 120 s');
      await sleep(100);
    }
    for (const file of pidfiles) reaper.trackPidfile(file);
    await sleep(15_000); // start-up work and the textfile's first renders settle

    const before = cpuTicks(daemon.pid);
    const tIdle = performance.now();
    await sleep(IDLE_S * 1000);
    const seconds = (performance.now() - tIdle) / 1000;
    const ticks = cpuTicks(daemon.pid) - before;
    result.idleCpuPercent = Number(((ticks / CLK_TCK / seconds) * 100).toFixed(4));
    result.idleTicks = ticks;
    result.idleSeconds = Math.round(seconds);
    result.rssMb = Number(rssMb(daemon.pid).toFixed(1));
    if (textfile) result.textfileKb = Math.round(fs.statSync(promFile).size / 1024);

    // A state change -> the textfile shows it (debounce 250 ms + render + write).
    if (textfile) {
      const victim = Number.parseInt(fs.readFileSync(pidfiles[0], 'utf8'), 10);
      const tKill = performance.now();
      process.kill(victim, 'SIGKILL');
      for (;;) {
        const text = fs.readFileSync(promFile, 'utf8');
        if (/usrsvc_program_restarts_total\{program="svc0",[^}]*reason="crash"\} 1/.test(text)) break;
        if (performance.now() - tKill > 30_000) throw new Error('the textfile never showed the restart');
        await sleep(5);
      }
      result.killToTextfileMs = Math.round(performance.now() - tKill);
      reaper.trackPidfile(pidfiles[0]);
    }

    const socket = apiSocketPath(path.join(home, '.local/state/usrsvc'));
    const scrapes = [];
    let bytes = 0;
    for (let i = 0; i < SCRAPES; i++) {
      const answer = await scrape(socket);
      if (answer.status !== 200) throw new Error(`GET /metrics answered ${answer.status}`);
      scrapes.push(answer.ms);
      bytes = answer.bytes;
      await sleep(1_100);
    }
    result.scrapeMedianMs = Number(median(scrapes).toFixed(2));
    result.scrapeP95Ms = Number(p95(scrapes).toFixed(2));
    result.scrapeKb = Math.round(bytes / 1024);
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((r) => (daemon.exitCode !== null ? r() : daemon.once('exit', r)));
    for (const file of pidfiles) reaper.trackPidfile(file);
    reaper.killAll();
    fs.rmSync(home, { recursive: true, force: true });
  }
  return result;
}

const results = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const textfile of [false, true]) {
    process.stderr.write(`usrsvcd metrics bench: ${SERVICES} services, textfile ${textfile ? 'on' : 'off'}, idle ${IDLE_S} s...\n`);
    results.push(await runConfig(textfile));
  }
}
for (const r of results) {
  console.log(
    `textfile ${r.textfile ? 'on ' : 'off'} | idle CPU ${r.idleCpuPercent} % of a core (${r.idleTicks} ticks in ${r.idleSeconds} s) | RSS ${r.rssMb} MB | ` +
      `GET /metrics median ${r.scrapeMedianMs} ms, p95 ${r.scrapeP95Ms} ms (${r.scrapeKb} kB)` +
      (r.textfile ? ` | SIGKILL -> textfile shows the restart ${r.killToTextfileMs} ms (${r.textfileKb} kB file)` : ''),
  );
}
console.log(JSON.stringify(results));
