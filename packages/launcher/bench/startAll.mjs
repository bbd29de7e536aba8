// Benchmark: start N programs at once in one process (what `usrsvc start all -P` does), then stop
// them. Target: all started within success_seconds + 2 s.   node bench/startAll.mjs [N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProgram, stopProgram } from '../dist/index.js';

const count = Number(process.argv[2] ?? 100);
const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-bench-')));
const sleepLink = path.join(home, 'svc');
fs.symlinkSync(fs.realpathSync('/bin/sleep'), sleepLink);
const ctx = { env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: '' } };
const programs = Array.from({ length: count }, (_, i) => ({
  name: `p${i}`, command: `${sleepLink} ${1000 + i}`, argv: [sleepLink, String(1000 + i)], useShell: false,
  pidfile: path.join(home, `p${i}.pid`), enabled: true, autoPid: true, scanForProcess: true,
  proctitleRe: new RegExp(`svc ${1000 + i}$`), successSeconds: 1, termToKillSeconds: 2,
  stdout: path.join(home, `p${i}.log`), stderr: path.join(home, `p${i}.log`), inheritEnv: true, env: {},
}));
try {
  let t = performance.now();
  let lastLaunch = 0;
  const started = await Promise.all(programs.map((p) => startProgram(p, ctx, { onLaunched: () => { lastLaunch = performance.now() - t; } })));
  const startMs = performance.now() - t;
  const ok = started.filter((r) => r.outcome === 'started').length;
  t = performance.now();
  const stopped = await Promise.all(programs.map((p) => stopProgram(p, ctx)));
  const stopMs = performance.now() - t;
  console.log(JSON.stringify({ programs: count, started: ok, startMs: Math.round(startMs), lastLaunchMs: Math.round(lastLaunch), overSuccessSecondsMs: Math.round(startMs - 1000),
    stopped: stopped.filter((r) => r.outcome === 'terminated').length, stopMs: Math.round(stopMs) }));
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
