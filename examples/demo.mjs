#!/usr/bin/env node
// The usrsvc demo: runs usrsvcd in the foreground on the bundled example configuration in a
// sandbox HOME, shows the programs starting, a crash being repaired, a user stop being
// respected, and leaves nothing running when it ends (or on Ctrl-C).
//
//   node examples/demo.mjs            scripted tour, about 30 seconds
//   node examples/demo.mjs --keep     keep running until Ctrl-C
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { examplesDir, makeSandbox } from './scripts/makeSandbox.mjs';

const repo = path.resolve(examplesDir, '..');
const usrsvcBin = path.join(repo, 'apps/usrsvc/dist/usrsvc.cjs');
const usrsvcdBin = path.join(repo, 'apps/usrsvcd/dist/bin.js');
const keep = process.argv.includes('--keep');
const programs = ['web', 'worker', 'leaky', 'batch'];

for (const bin of [usrsvcBin, usrsvcdBin]) {
  if (!fs.existsSync(bin)) {
    console.error(`demo: ${path.relative(repo, bin)} is not built; run "pnpm build" first (pnpm demo does).`);
    process.exit(1);
  }
}

const sandbox = makeSandbox();
const env = { ...process.env, HOME: sandbox.home, NO_COLOR: '1' };
delete env.XDG_RUNTIME_DIR;
delete env.USRSVC_CONFIG;

const say = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const readPid = (name) => {
  try {
    return Number.parseInt(fs.readFileSync(sandbox.pidfile(name), 'utf8'), 10) || undefined;
  } catch {
    return undefined;
  }
};
const alive = (pid) => {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
/** The PID of a live process with exactly this /proc cmdline, other than `exceptPid`. */
function findProcess(cmdline, exceptPid) {
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === exceptPid) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') === cmdline && alive(pid)) return pid;
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}
function usrsvc(...args) {
  console.log(`$ usrsvc ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [usrsvcBin, ...args], { env, encoding: 'utf8' });
  process.stdout.write(result.stdout + result.stderr);
  return result.status;
}
async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value) return value;
    await sleep(20);
  }
  return undefined;
}

say(`Sandbox HOME: ${sandbox.home}`);
console.log(fs.readFileSync(path.join(sandbox.home, 'usrsvc.cfg'), 'utf8'));
console.log(`Programs: ${fs.readdirSync(path.join(sandbox.base, 'cfg')).join(', ')} in ${path.join(sandbox.base, 'cfg')}`);

say('Check the configuration');
console.log('$ usrsvcd checkconfig');
spawnSync(process.execPath, [usrsvcdBin, 'checkconfig'], { env, stdio: 'inherit' });

say('Start usrsvcd in the foreground (its log is prefixed with "usrsvcd |")');
const daemon = spawn(process.execPath, [usrsvcdBin, '--foreground'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
const logFile = path.join(sandbox.base, 'logs', 'usrsvcd.log');
let logOffset = 0;
const tailLog = setInterval(() => {
  try {
    const text = fs.readFileSync(logFile, 'utf8');
    for (const line of text.slice(logOffset).split('\n').filter(Boolean)) console.log(`usrsvcd | ${line}`);
    logOffset = text.length;
  } catch {
    // no log yet
  }
}, 100);
for (const stream of [daemon.stdout, daemon.stderr]) {
  stream.setEncoding('utf8');
  stream.on('data', (text) => {
    for (const line of text.split('\n').filter(Boolean)) console.log(`usrsvcd | ${line}`);
  });
}

let tornDown = false;
async function tearDown(code) {
  if (tornDown) return;
  tornDown = true;
  say('Stop usrsvcd: the services keep running, because usrsvcd is not their parent');
  daemon.kill('SIGTERM');
  await waitFor(() => daemon.exitCode !== null || daemon.signalCode !== null, 10_000);
  clearInterval(tailLog);
  const survivors = programs.map((name) => [name, readPid(name)]).filter(([, pid]) => pid && alive(pid));
  console.log(`still running after usrsvcd exited: ${survivors.map(([name, pid]) => `${name} (pid ${pid})`).join(', ') || 'nothing'}`);
  say('Stop every program, so that the demo leaves nothing running');
  usrsvc('stop', 'all');
  const leftovers = survivors.filter(([, pid]) => alive(pid));
  if (leftovers.length > 0) {
    console.error(`demo: still running: ${leftovers.map(([name, pid]) => `${name} (${pid})`).join(', ')}`);
    code = 1;
  }
  console.log(`\nThe sandbox stays at ${sandbox.home} (configuration and logs); remove it when done.`);
  process.exit(code);
}
process.on('SIGINT', () => void tearDown(0));
process.on('SIGTERM', () => void tearDown(0));

const running = await waitFor(() => ['web', 'worker', 'leaky'].every((name) => readPid(name) && alive(readPid(name))), 15_000);
if (!running) {
  console.error('demo: the programs did not all start within 15 s; see the log above');
  await tearDown(1);
}

say('Status of every program');
usrsvc('status');

say('Ask the web server for /health');
try {
  const response = await fetch('http://127.0.0.1:18080/health');
  console.log(`HTTP ${response.status}: ${(await response.text()).trim()}`);
} catch (error) {
  console.log(`web did not answer: ${error.message}`);
}

say('Crash the web server with SIGKILL: usrsvcd restarts it');
const oldPid = readPid('web');
const webCmdline = fs.readFileSync(`/proc/${oldPid}/cmdline`, 'utf8');
const killedAt = performance.now();
process.kill(oldPid, 'SIGKILL');
const newPid = await waitFor(() => findProcess(webCmdline, oldPid), 10_000);
const restartedMs = performance.now() - killedAt;
const verified = newPid && (await waitFor(() => readPid('web') === newPid, 10_000));
console.log(
  newPid
    ? `web: pid ${oldPid} killed, pid ${newPid} running ${restartedMs.toFixed(1)} ms later${verified ? ', verified after success_seconds' : ''}`
    : 'web was not restarted within 10 s',
);

say('Stop the worker by hand: usrsvcd respects it and does not bring it back');
usrsvc('stop', 'worker');
await sleep(2000);
usrsvc('status', 'worker');

say('Start the batch program (autostart = False) and the worker again');
usrsvc('start', 'batch');
usrsvc('start', 'worker');

if (keep) {
  say('Running; leaky will be restarted when it passes rss_limit. Ctrl-C to stop.');
  await new Promise(() => {});
}

say('Watch leaky grow towards rss_limit = 120000 kB; usrsvcd restarts it when it passes');
const leakyPid = readPid('leaky');
const replaced = await waitFor(() => {
  const pid = readPid('leaky');
  return pid && pid !== leakyPid && alive(pid) ? pid : undefined;
}, 25_000);
console.log(replaced ? `leaky: pid ${leakyPid} was restarted by the RSS monitor as pid ${replaced}` : 'leaky was not restarted within 25 s');

say('Final status');
usrsvc('status');
await tearDown(0);
