// Benchmark (issue 21): a start with 7 limit_* settings, umask and nice, a 100-line env file and a
// directory against a plain start; median of 20 each, alternating, through the native double fork
// and through /bin/sh. Measures startProgram until the launch (onLaunched) and until it returns
// (success_seconds = 0.1).   node bench/settingsStart.mjs [rounds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeOrphanSpawn } from '@usrsvc/exitwatch';
import { startProgram, stopProgram } from '../dist/index.js';

const rounds = Number(process.argv[2] ?? 20);
const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-bench-')));
const sleepLink = path.join(home, 'svc');
fs.symlinkSync(fs.realpathSync('/bin/sleep'), sleepLink);
fs.mkdirSync(path.join(home, 'work'));
const envFile = path.join(home, 'app.env');
fs.writeFileSync(envFile, Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? `export KEY_${i}="value ${i}\\n"` : `KEY_${i}=value-${i} # c`)).join('\n'));
const ctxBase = { env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: '' } };
const limits = {
  nofile: { soft: 1024, hard: 4096 }, nproc: { soft: 4096, hard: 4096 }, core: { soft: 0, hard: 'infinity' },
  memlock: { soft: 65536, hard: 65536 }, as: { soft: 'infinity', hard: 'infinity' }, fsize: { soft: 1 << 30, hard: 'infinity' },
  stack: { soft: 8 << 20, hard: 'infinity' },
};
const program = (name, n, settings) => ({
  name, command: `${sleepLink} ${n}`, argv: [sleepLink, String(n)], useShell: false, pidfile: path.join(home, `${name}.pid`),
  enabled: true, autoPid: true, scanForProcess: true, proctitleRe: new RegExp(`svc ${n}$`), successSeconds: 0.1, termToKillSeconds: 2,
  stdout: path.join(home, `${name}.log`), stderr: path.join(home, `${name}.log`), inheritEnv: true, env: {},
  ...(settings ? { limits, umask: 0o022, nice: 1, envFiles: [envFile], directory: path.join(home, 'work') } : {}),
});
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values) => `${Math.min(...values).toFixed(2)}..${Math.max(...values).toFixed(2)}`;

try {
  const result = { loadavg: fs.readFileSync('/proc/loadavg', 'utf8').trim(), rounds };
  for (const [mode, ctx] of [['native', { ...ctxBase, orphanSpawn: nativeOrphanSpawn() }], ['sh', ctxBase]]) {
    const times = { plain: { launch: [], total: [] }, settings: { launch: [], total: [] } };
    for (let i = 0; i < rounds * 2; i++) {
      const kind = i % 2 === 0 ? 'plain' : 'settings';
      const p = program(`${mode}${i}`, 2000 + i, kind === 'settings');
      const t = performance.now();
      let launched = 0;
      const started = await startProgram(p, ctx, { onLaunched: () => { launched = performance.now() - t; } });
      const total = performance.now() - t;
      if (started.outcome !== 'started') throw new Error(`${p.name}: ${started.message}`);
      times[kind].launch.push(launched);
      times[kind].total.push(total);
      await stopProgram(p, ctx);
    }
    result[mode] = Object.fromEntries(
      Object.entries(times).map(([kind, t]) => [kind, { launchMedianMs: +median(t.launch).toFixed(2), launchSpread: spread(t.launch), startMedianMs: +median(t.total).toFixed(2), startSpread: spread(t.total) }]),
    );
  }
  console.log(JSON.stringify(result, null, 2));
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
