#!/usr/bin/env node
// restart_on_change on a 10,000-file tree (1,111 folders, plus an ignored node_modules of 200):
// usrsvcd's CPU ticks over an idle window with and without it, the time to arm the watches, the
// inotify watches it holds; and, for comparison, Node's own fs.watch(dir, { recursive: true }).
//   USRSVCD_BENCH_IDLE_S  idle window in seconds (default 30)
//   USRSVCD_BENCH_REARMS  rereads that re-arm the watches, for the arm time's median (default 9)
// Run under the shared lock: flock /tmp/usrsvc-heavy.lock nice -n 5 node bench/restartOnChange.bench.mjs
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuTicks, isLive, median, readPid, sleep, until } from './procStats.mjs';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const { DAEMON_NODE_FLAGS } = await import('../dist/nodeFlags.js');
const IDLE_S = Number(process.env.USRSVCD_BENCH_IDLE_S ?? 30);
const REARMS = Number(process.env.USRSVCD_BENCH_REARMS ?? 9);

/** 10 x 10 x 10 leaf folders of 10 files: 10,000 files in 1,111 folders; node_modules beside them. */
function makeTree(root) {
  for (let a = 0; a < 10; a++)
    for (let b = 0; b < 10; b++)
      for (let c = 0; c < 10; c++) {
        const dir = path.join(root, `a${a}`, `b${b}`, `c${c}`);
        fs.mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 10; f++) fs.writeFileSync(path.join(dir, `f${f}.js`), '');
      }
  for (let m = 0; m < 200; m++) fs.mkdirSync(path.join(root, 'node_modules', `pkg${m}`, 'lib'), { recursive: true });
}

function inotifyWatches(pid) {
  let count = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      count += fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((line) => line.startsWith('inotify wd:')).length;
    } catch {}
  }
  return count;
}

function writeConfig(home, tree, watching, ignoreExtra = '') {
  const program = [
    '[Program:app]',
    `command = sleep 86400.${process.pid}7`,
    `pidfile = ${home}/app.pid`,
    `stdout = ${home}/app.out`,
    'success_seconds = 0.3',
    ...(watching ? [`restart_on_change = ${tree}`] : []),
    ...(watching && ignoreExtra ? [`restart_on_change_ignore = **/node_modules/**, ${ignoreExtra}`] : []),
  ];
  fs.writeFileSync(path.join(home, 'usrsvc.cfg'), `[Main]\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/usrsvcd.log\nusrsvcd_stderr = stdout\n\n${program.join('\n')}\n`);
}

const armTimes = (home) => [...fs.readFileSync(path.join(home, 'usrsvcd.log'), 'utf8').matchAll(/watching .* \((\d+) folders, armed in (\d+) ms\)/g)].map((m) => ({ folders: Number(m[1]), ms: Number(m[2]) }));

async function run(tree, watching) {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvcd-bench-change-')));
  writeConfig(home, tree, watching);
  const env = { ...process.env, HOME: home };
  delete env.USRSVC_CONFIG;
  delete env.XDG_RUNTIME_DIR;
  const daemon = spawn(process.execPath, [...DAEMON_NODE_FLAGS, BIN, '--foreground'], { env, stdio: 'ignore' });
  const result = { watching };
  let service;
  try {
    service = await until('the program', () => {
      const pid = readPid(path.join(home, 'app.pid'));
      return pid && isLive(pid) && pid;
    });
    if (watching) await until('the watches', () => armTimes(home).length >= 1);
    await sleep(3_000); // start-up work (success_seconds, first scans) is over
    const before = cpuTicks(daemon.pid);
    await sleep(IDLE_S * 1000);
    result.idleTicks = cpuTicks(daemon.pid) - before;
    result.watches = inotifyWatches(daemon.pid);
    if (watching) {
      for (let i = 1; i <= REARMS; i++) {
        // Another ignore list re-arms the whole tree (a reread whose restart_on_change_ignore changed).
        writeConfig(home, tree, true, `**/*.tmp${i}`);
        process.kill(daemon.pid, 'SIGUSR1');
        await until(`re-arm ${i}`, () => armTimes(home).length >= i + 1);
      }
      result.arms = armTimes(home);
      result.servicePidUnchanged = readPid(path.join(home, 'app.pid')) === service;
    }
  } finally {
    daemon.kill('SIGTERM');
    await until('usrsvcd to stop', () => !isLive(daemon.pid), 10_000).catch(() => undefined);
    if (service && isLive(service)) process.kill(service, 'SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  }
  return result;
}

/** Node's recursive fs.watch on the same tree, in a child process: its arm time and inotify watches. */
async function nodeRecursive(tree) {
  const script = `const fs=require('fs');const t=process.hrtime.bigint();const w=fs.watch(${JSON.stringify(tree)},{recursive:true,persistent:true},()=>{});
const ms=Number(process.hrtime.bigint()-t)/1e6;let n=0;for(const fd of fs.readdirSync('/proc/self/fdinfo')){try{n+=fs.readFileSync('/proc/self/fdinfo/'+fd,'utf8').split('\\n').filter(l=>l.startsWith('inotify wd:')).length}catch{}}
console.log(JSON.stringify({ms,watches:n,rssMb:process.memoryUsage().rss/1048576}));w.close();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  await new Promise((resolve) => child.on('close', resolve));
  return JSON.parse(out);
}

const treeHome = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvcd-bench-tree-')));
const tree = path.join(treeHome, 'app');
makeTree(tree);
try {
  console.log(`restart_on_change on ${tree}: 10,000 files, 1,111 folders (+ node_modules, 401 folders, ignored); idle window ${IDLE_S} s; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const without = await run(tree, false);
  const withWatch = await run(tree, true);
  const ms = withWatch.arms.map((arm) => arm.ms);
  console.log(`without restart_on_change: ${without.idleTicks} CPU ticks (1/100 s) idle in ${IDLE_S} s; ${without.watches} inotify watches`);
  console.log(`with restart_on_change:    ${withWatch.idleTicks} CPU ticks idle in ${IDLE_S} s; ${withWatch.watches} inotify watches (${withWatch.arms[0].folders} folders)`);
  console.log(`arming the watches: median ${median(ms)} ms (min ${Math.min(...ms)}, max ${Math.max(...ms)}, ${ms.length} arms); program pid unchanged across the rereads: ${withWatch.servicePidUnchanged}`);
  const node = await nodeRecursive(tree);
  console.log(`Node ${process.version} fs.watch(recursive) on the same tree: ${node.watches} inotify watches (node_modules included), ${node.ms.toFixed(0)} ms to arm, RSS ${node.rssMb.toFixed(0)} MB`);
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  fs.rmSync(treeHome, { recursive: true, force: true });
}
