// Benchmark: stop of a program with 50 descendants (stop_as_group): time until every process of
// the tree is gone (median of RUNS), and process-table snapshots per stop (one per stop pass).
//   node bench/stopTree.mjs [DESCENDANTS] [RUNS]        (after `pnpm build`)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { snapshotProcesses } from '@usrsvc/procscan';
import { Reaper } from '@usrsvc/testkit';
import { startProgram, stopProgram } from '../dist/index.js';

const descendants = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 7);
const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-bench-')));
const worker = path.join(home, 'worker');
fs.symlinkSync(fs.realpathSync('/bin/sleep'), worker);
// Half are children of the main process, half grandchildren below five sub-parents.
const children = Math.ceil(descendants / 2);
const subParents = 5;
const perSub = Math.floor((descendants - children - subParents) / subParents);
const sub = path.join(home, 'sub.sh');
fs.writeFileSync(sub, `#!/bin/sh\nfor i in $(seq ${perSub}); do ${worker} 3600 & done\nwait\n`, { mode: 0o755 });
const main = path.join(home, 'tree.sh');
fs.writeFileSync(main, `#!/bin/sh\nfor i in $(seq ${children}); do ${worker} 3600 & done\nfor i in $(seq ${subParents}); do /bin/sh ${sub} & done\nwait\n`, { mode: 0o755 });
const total = children + subParents + subParents * perSub;

const uid = process.getuid();
let snapshots = 0;
const ctx = {
  env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: '' },
  snapshot: () => {
    snapshots += 1;
    return snapshotProcesses({ uid });
  },
};
const program = {
  name: 'tree', command: `/bin/sh ${main}`, argv: ['/bin/sh', main], useShell: false,
  pidfile: path.join(home, 'tree.pid'), enabled: true, autoPid: true, scanForProcess: true,
  proctitleRe: new RegExp(`${main.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), successSeconds: 0.5, termToKillSeconds: 8,
  stdout: path.join(home, 'tree.log'), stderr: path.join(home, 'tree.log'), inheritEnv: true, env: {}, stopAsGroup: true,
};

/** Live processes whose command line names this benchmark's folder. */
function treeProcesses() {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(home)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const reaper = new Reaper();
const times = [];
const snapshotCounts = [];
try {
  for (let run = 0; run < runs; run++) {
    const started = await startProgram(program, ctx);
    if (started.outcome !== 'started') throw new Error(`start failed: ${started.message}`);
    const deadline = Date.now() + 10_000;
    while (treeProcesses().length < total + 1) {
      if (Date.now() > deadline) throw new Error(`only ${treeProcesses().length} of ${total + 1} processes`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const pid of treeProcesses()) reaper.track(pid);
    snapshots = 0;
    const t = performance.now();
    const stopped = await stopProgram(program, ctx);
    const ms = performance.now() - t;
    const left = treeProcesses();
    if (stopped.outcome !== 'terminated' || left.length > 0) throw new Error(`stop left ${left.length}: ${stopped.message}`);
    times.push(ms);
    snapshotCounts.push(snapshots);
  }
  console.log(JSON.stringify({
    descendants: total, runs, medianStopMs: Math.round(median(times) * 10) / 10,
    minStopMs: Math.round(Math.min(...times) * 10) / 10, maxStopMs: Math.round(Math.max(...times) * 10) / 10,
    snapshotsPerStop: median(snapshotCounts),
    note: 'one snapshot signals the whole tree; with an own process group one more pass checks that nothing was forked meanwhile',
  }));
} finally {
  reaper.killAll();
  fs.rmSync(home, { recursive: true, force: true });
}
