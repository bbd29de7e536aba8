// Reads a config_dir of 1,000 program files and prints the median of 15 runs after 3 warm-ups.
// Run with `pnpm bench` after `pnpm build` (it measures dist/, what users run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readConfig } from '../dist/index.js';

const PROGRAMS = 1000;
const WARMUPS = 3;
const RUNS = 15;

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-config-bench-'));
try {
  const cfg = path.join(home, 'cfg');
  fs.mkdirSync(cfg);
  fs.mkdirSync(path.join(home, 'logs'));
  fs.writeFileSync(path.join(home, 'usrsvc.cfg'), `[Main]\nconfig_dir = ${cfg}\npidfile = ${home}/usrsvcd.pid\n`);
  fs.writeFileSync(
    path.join(cfg, '000-defaults.cfg'),
    '[DefaultSettings:svc]\nsuccess_seconds = 3\nmaxrestarts = 5\nemail_alerts = ops@example.com\n[[Env]]\n  NODE_ENV = production\n[[Monitoring]]\n  monitor_after = 20\n',
  );
  for (let i = 0; i < PROGRAMS; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    fs.writeFileSync(
      path.join(cfg, `${name}.cfg`),
      [
        `# ${name}: a typical service`,
        `[Program:${name}]`,
        `command = /usr/bin/node /srv/apps/${name}/server.js --port ${10000 + i} --name "${name} worker"`,
        `pidfile = ${home}/pids/${name}.pid`,
        `stdout = ${home}/logs/${name}.log`,
        'stderr = stdout',
        'defaults = svc',
        i % 2 ? 'useshell = True' : `proctitle_re = (?P<node>node) /srv/apps/${name}/server\\.js`,
        '  [[Env]]',
        `    PORT = ${10000 + i}`,
        '  [[Monitoring]]',
        '    rss_limit = 500000',
        '',
      ].join('\n'),
    );
  }

  const env = { HOME: home };
  const times = [];
  for (let run = 0; run < WARMUPS + RUNS; run++) {
    const start = performance.now();
    const config = readConfig({ env });
    const elapsed = performance.now() - start;
    if (config.programs.size !== PROGRAMS) throw new Error(`read ${config.programs.size} programs`);
    if (run >= WARMUPS) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  process.stdout.write(
    `readConfig, ${PROGRAMS} program files: median ${median.toFixed(1)} ms over ${RUNS} runs ` +
      `(min ${times[0].toFixed(1)}, max ${times.at(-1).toFixed(1)}; target < 200 ms)\n`,
  );
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
