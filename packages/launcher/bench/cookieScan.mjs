// Cost of finding a program's processes by launch cookie: one read of /proc/PID/environ per
// process of the user, in one snapshot. Starts N sleeps carrying a cookie (half of them the
// program's), then times cookieCarriers over fresh snapshots. Every process it starts is killed by PID.
// Usage: node bench/cookieScan.mjs [N=200] [runs=9]
import { spawn } from 'node:child_process';
import { snapshotProcesses } from '@usrsvc/procscan';
import { Reaper } from '@usrsvc/testkit';
import { cookieCarriers } from '../dist/launchCookie.js';

const count = Number(process.argv[2] ?? 200);
const runs = Number(process.argv[3] ?? 9);
const reaper = new Reaper();
const uid = process.getuid();
try {
  for (let i = 0; i < count; i++) {
    const env = { ...process.env, USRSVC_PROGRAM: i % 2 ? 'bench' : 'other', USRSVC_LAUNCH: `l${i}` };
    const child = spawn('sleep', [`3600.${process.pid}${i}`], { env, stdio: 'ignore', detached: true });
    child.unref();
    reaper.track(child.pid);
  }
  const times = [];
  let processes = 0;
  let found = 0;
  for (let r = 0; r < runs; r++) {
    const table = await snapshotProcesses({ uid });
    processes = table.size;
    const t0 = process.hrtime.bigint();
    found = cookieCarriers(table, 'bench', uid).length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(JSON.stringify({ started: count, processesOfUser: processes, carriersFound: found, runs, medianMs: times[runs >> 1], minMs: times[0], maxMs: times[runs - 1], loadavg: load }));
} finally {
  reaper.killAll();
}
