#!/usr/bin/env node
// usrsvc-web benchmark, as a user runs it: the bundled `usrsvcd` and `usrsvc-web` of the usrsvc
// package (apps/usrsvc/dist), 200 sleep services, one dashboard open in headless Chromium.
//   page load to first table paint (median of WEB_BENCH_LOADS, default 10)
//   SIGKILL of a service to its new PID on the page (median of WEB_BENCH_KILLS, default 10)
//   usrsvc-web idle CPU and RSS with one page open (over WEB_BENCH_IDLE_S, default 30)
// Run it as `flock /tmp/usrsvc-heavy.lock pnpm bench` after `pnpm build` (it needs Debian chromium).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, Reaper, waitFor } from '@usrsvc/testkit';
import { chromium } from 'playwright-core';

const DIST = fileURLToPath(new URL('../../usrsvc/dist/', import.meta.url));
const SERVICES = Number(process.env.WEB_BENCH_SERVICES ?? 200);
const LOADS = Number(process.env.WEB_BENCH_LOADS ?? 10);
const KILLS = Number(process.env.WEB_BENCH_KILLS ?? 10);
const IDLE_S = Number(process.env.WEB_BENCH_IDLE_S ?? 30);
const CLK_TCK = 100;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const statFields = (pid) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};
const cpuTicks = (pid) => Number(statFields(pid)[11]) + Number(statFields(pid)[12]);
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const readPid = (file) => {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) && fs.existsSync(`/proc/${pid}`) && statFields(pid)[0] !== 'Z' ? pid : undefined;
  } catch {
    return undefined;
  }
};

const reaper = new Reaper();
const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-web-bench-')));
const env = { ...process.env, HOME: home };
delete env.XDG_RUNTIME_DIR;
delete env.USRSVC_CONFIG;
const conf = path.join(home, 'conf.d');
fs.mkdirSync(conf);
fs.mkdirSync(path.join(home, 'run'));
fs.writeFileSync(path.join(home, 'usrsvc.cfg'), `[Main]\npidfile = ${home}/usrsvcd.pid\nusrsvcd_stdout = ${home}/usrsvcd.log\nconfig_dir = ${conf}\n`);
const tag = `${process.pid % 1000}${Date.now() % 100000}`;
for (let i = 0; i < SERVICES; i++) {
  fs.writeFileSync(
    path.join(conf, `svc${i}.cfg`),
    `[Program:svc${i}]\ncommand = sleep 86400.${tag}${String(i).padStart(3, '0')}\npidfile = ${home}/run/svc${i}.pid\nstdout = ${home}/run/svc${i}.out\nsuccess_seconds = 0.3\n`,
  );
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-bench-chromium-'));
let context;
try {
  const daemon = spawn(path.join(DIST, 'usrsvcd.cjs'), ['--foreground'], { env, stdio: 'ignore' });
  reaper.track(daemon.pid);
  const pidfiles = Array.from({ length: SERVICES }, (_, i) => path.join(home, 'run', `svc${i}.pid`));
  await waitFor(`${SERVICES} services running`, () => pidfiles.every((file) => readPid(file) !== undefined), { timeoutMs: 120_000, intervalMs: 200 });
  for (const file of pidfiles) reaper.trackPidfile(file);

  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const web = spawn(path.join(DIST, 'usrsvc-web.js'), ['--listen', listen], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  reaper.track(web.pid);
  let webLog = '';
  web.stderr.on('data', (chunk) => {
    webLog += chunk;
  });
  await waitFor('usrsvc-web to follow usrsvcd', () => webLog.includes('following usrsvcd'), { timeoutMs: 30_000 });
  const url = execFileSync(path.join(DIST, 'usrsvc-web.js'), ['url', '--listen', listen], { env, encoding: 'utf8' }).trim();

  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);

  // Page load to first table paint: navigation start to the page's own mark after the first render with data.
  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto(`http://${listen}/`);
    const ms = await page.waitForFunction(() => performance.getEntriesByName('usrsvc-table-painted')[0]?.startTime, undefined, { timeout: 30_000 });
    loads.push(await ms.jsonValue());
  }
  await page.locator(`tr[data-program="svc${SERVICES - 1}"] .pid`).waitFor({ timeout: 30_000 });

  // SIGKILL to the new PID on the page: a MutationObserver in the page notes when the row's PID changes.
  const kills = [];
  for (let i = 0; i < KILLS; i++) {
    const name = `svc${i}`;
    const old = readPid(pidfiles[i]);
    await page.evaluate(
      ({ name, old }) => {
        window.benchSeen = new Promise((resolve) => {
          const check = () => {
            const text = document.querySelector(`tr[data-program="${name}"] .pid`)?.textContent ?? '';
            return /^\d+$/.test(text) && text !== String(old);
          };
          const observer = new MutationObserver(() => {
            if (check()) {
              observer.disconnect();
              resolve(Date.now());
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
      },
      { name, old },
    );
    const killedAt = Date.now();
    process.kill(old, 'SIGKILL');
    const seenAt = await page.evaluate(() => window.benchSeen);
    kills.push(seenAt - killedAt);
    const next = await waitFor('the new pid', () => {
      const pid = readPid(pidfiles[i]);
      return pid !== undefined && pid !== old ? pid : undefined;
    });
    reaper.track(next);
  }

  // Idle: one page open, nothing happening.
  const idleFrom = { web: cpuTicks(web.pid), daemon: cpuTicks(daemon.pid), at: Date.now() };
  await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000));
  const seconds = (Date.now() - idleFrom.at) / 1000;
  const idlePercent = (pid, from) => round(((cpuTicks(pid) - from) / CLK_TCK / seconds) * 100, 3);
  const publicDir = path.join(DIST, 'public');
  const results = {
    services: SERVICES,
    pageBytes: fs.readdirSync(publicDir).reduce((sum, f) => sum + fs.statSync(path.join(publicDir, f)).size, 0),
    firstTablePaintMs: { median: round(median(loads)), runs: loads.map((x) => round(x)) },
    sigkillToNewPidOnPageMs: { median: round(median(kills)), runs: kills },
    usrsvcWebIdle: { cpuPercent: idlePercent(web.pid, idleFrom.web), rssMb: round(rssKb(web.pid) / 1024), seconds: round(seconds) },
    usrsvcdIdle: { cpuPercent: idlePercent(daemon.pid, idleFrom.daemon), rssMb: round(rssKb(daemon.pid) / 1024) },
  };
  console.log(JSON.stringify(results, null, 2));
} finally {
  await context?.close().catch(() => undefined);
  reaper.killAll();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
}
