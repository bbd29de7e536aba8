#!/usr/bin/env node
// `pnpm bench:peers`: usrsvc (global install of the packed package), pm2 and supervisord, one
// after another, against the same N services under the same subreaper (`tini -s`), measured from
// outside; prints the side-by-side table with the ratios usrsvc/pm2 and usrsvc/supervisord.
// Not part of `pnpm test`. Run it alone on the machine (flock /tmp/usrsvc-heavy.lock ...).
//
// Options: --services N (200)  --idle-seconds S (60)  --restarts K (20)  --status-runs R (10)
//          --settle-seconds S (30: start-up work, GC included, is not idle)  --managers usrsvc,pm2,supervisord  --json FILE
//          --scale N (1000; 0: none): then usrsvc alone with `sleep` services at --services and at N (scale.mjs)
//          --scale-restarts K (60): restarts at each scale size (its 1.2x target needs more than 20 to tell from noise)
//          --keep-node-extra-ca-certs: see nodeStartEnv.mjs (by default the bench runs without it)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureAptPackages, ensurePm2, installUsrsvc } from './install.mjs';
import { pm2Manager } from './managers/pm2.mjs';
import { supervisordManager } from './managers/supervisord.mjs';
import { usrsvcManager } from './managers/usrsvc.mjs';
import { measureManager } from './measure.mjs';
import { makeServices } from './services.mjs';
import { formatFloorRatios } from './floor.mjs';
import { formatScaleTable, measureScale } from './scale.mjs';
import { formatTable } from './table.mjs';
import { withoutCostlyNodeStartEnv } from './nodeStartEnv.mjs';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '..', '..');
const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'usrsvc-bench-peers');
const UNDER_TINI = 'USRSVC_BENCH_PEERS_SUBREAPER';
const ENV_NOTE = 'USRSVC_BENCH_PEERS_ENV_NOTE';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '200' },
    'idle-seconds': { type: 'string', default: '60' },
    restarts: { type: 'string', default: '20' },
    'status-runs': { type: 'string', default: '10' },
    'settle-seconds': { type: 'string', default: '30' },
    managers: { type: 'string', default: 'usrsvc,pm2,supervisord' },
    json: { type: 'string' },
    scale: { type: 'string', default: '1000' },
    'scale-restarts': { type: 'string', default: '60' },
    'keep-node-extra-ca-certs': { type: 'boolean', default: false },
  },
});
const log = (line) => process.stderr.write(`[bench:peers ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

if (process.env[UNDER_TINI] !== '1') {
  ensureAptPackages(log);
  ensurePm2(cache, log);
  installUsrsvc(repoRoot, cache, log);
  const { env, note } = values['keep-node-extra-ca-certs'] ? { env: process.env, note: '' } : await withoutCostlyNodeStartEnv(process.env);
  if (note) log(note);
  const child = spawnSync('tini', ['-s', '--', process.execPath, here, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...env, [UNDER_TINI]: '1', [ENV_NOTE]: note },
  });
  process.exit(child.status ?? 1);
}

const options = {
  services: makeServices(Number(values.services)),
  idleSeconds: Number(values['idle-seconds']),
  restarts: Number(values.restarts),
  statusRuns: Number(values['status-runs']),
  settleSeconds: Number(values['settle-seconds']),
  log,
};
const factories = {
  usrsvc: () => usrsvcManager(path.join(cache, 'usrsvc-prefix')),
  pm2: () => pm2Manager(path.join(cache, 'pm2')),
  supervisord: () => supervisordManager(),
};
const results = [];
for (const name of values.managers.split(',').filter(Boolean)) {
  if (!factories[name]) throw new Error(`unknown manager ${name}; known: ${Object.keys(factories).join(', ')}`);
  results.push(await measureManager(factories[name](), options));
}

const envNote = process.env[ENV_NOTE] ?? '';
const summary = { services: options.services.length, idleSeconds: options.idleSeconds, restarts: options.restarts, statusRuns: options.statusRuns, envNote };
const cpu = os.cpus();
process.stdout.write(
  `bench:peers ${new Date().toISOString()} on ${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(2)}, node ${process.version}\n${envNote ? `${envNote}\n` : ''}\n`,
);
if (results.length > 0) {
  process.stdout.write(`${formatTable(results, summary)}\n`);
  process.stdout.write(`\n${formatFloorRatios(results)}\n`);
}
const scaleOptions = { ...options, restarts: Number(values['scale-restarts']) };
const scale = Number(values.scale) > 0 ? await measureScale(cache, [options.services.length, Number(values.scale)], scaleOptions) : [];
if (scale.length > 0) process.stdout.write(`\nload ${os.loadavg()[0].toFixed(2)}\n\n${formatScaleTable(scale, { ...summary, restarts: scaleOptions.restarts })}\n`);
if (values.json) fs.writeFileSync(values.json, `${JSON.stringify({ date: new Date().toISOString(), ...summary, scaleRestarts: scaleOptions.restarts, results, scale }, null, 2)}\n`);
