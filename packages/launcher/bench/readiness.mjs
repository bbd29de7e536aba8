// Benchmark: what a ready_check costs. (1) A program that listens at once, started with
// ready_check = tcp://... against the same program without a check: median start time of N
// each, alternating (target: within 20 ms). (2) The notify socket while idle: CPU time and event
// loop wakeups of a process holding 100 bound, idle notify sockets for 5 s vs none.
//   node bench/readiness.mjs [N]
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseReadyCheck } from '@usrsvc/config';
import { nativeNotifySocket, nativeOrphanSpawn } from '@usrsvc/exitwatch';
import { startProgram, stopProgram } from '../dist/index.js';

const runs = Number(process.argv[2] ?? 20);
const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-bench-')));
const ctx = { env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: '' }, orphanSpawn: nativeOrphanSpawn() };
const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const port = await freePort();
const server = path.join(home, 'server.py');
fs.writeFileSync(server, `import socket\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('127.0.0.1', ${port}))\ns.listen(5)\nwhile True: s.accept()[0].close()\n`);
const program = (name, readyCheck) => ({
  name, command: `/usr/bin/python3 ${server}`, argv: ['/usr/bin/python3', server], useShell: false,
  pidfile: path.join(home, `${name}.pid`), enabled: true, autoPid: true, scanForProcess: true,
  proctitleRe: new RegExp(`server\\.py$`), successSeconds: 0.5, termToKillSeconds: 2,
  stdout: path.join(home, `${name}.log`), stderr: path.join(home, `${name}.log`), inheritEnv: true, env: {},
  ...(readyCheck ? { readyCheck: parseReadyCheck(readyCheck), readyCheckInterval: 0.05 } : {}),
});
const plain = program('plain');
const checked = program('checked', `tcp://127.0.0.1:${port}`);
const times = { plain: [], checked: [] };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const spread = (xs) => [Math.min(...xs), Math.max(...xs)].map((x) => Math.round(x));
try {
  for (let i = 0; i < runs; i++) {
    for (const p of i % 2 ? [plain, checked] : [checked, plain]) {
      const t = performance.now();
      const result = await startProgram(p, ctx);
      times[p.name].push(performance.now() - t);
      if (result.code !== 0) throw new Error(result.message);
      await stopProgram(p, ctx);
    }
  }
  const idle = await idleCost();
  console.log(JSON.stringify({
    runs, load: fs.readFileSync('/proc/loadavg', 'utf8').trim(),
    startMs: { plainMedian: Math.round(median(times.plain)), checkedMedian: Math.round(median(times.checked)), plainMinMax: spread(times.plain), checkedMinMax: spread(times.checked) },
    checkCostMedianMs: Math.round(median(times.checked) - median(times.plain)),
    idleNotifySockets: idle,
  }));
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}

async function idleCost() {
  const bind = nativeNotifySocket();
  const measure = async (count) => {
    const sockets = Array.from({ length: count }, (_, i) => bind(path.join(home, `n${i}.sock`), () => {}));
    const keep = setInterval(() => {}, 1000); // the same wakeups both ways: once a second
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const used = process.cpuUsage(before);
    clearInterval(keep);
    for (const s of sockets) s.close();
    return Math.round((used.user + used.system) / 1000);
  };
  return { cpuMsOver5sWith0: await measure(0), cpuMsOver5sWith100: await measure(100) };
}
