// Kill-to-callback latency of @usrsvc/exitwatch for a process that is not our child, in pidfd
// and poll mode, plus the idle CPU cost of 200 watches. Run `pnpm build` first (uses dist/).
// Usage: node bench/exitwatch.bench.mjs [kills=20] [idleSeconds=5]
import { execFileSync } from 'node:child_process';
import { processIdentity } from '@usrsvc/procscan';
import { exitWatchMode, watchExit } from '../dist/index.js';

const kills = Number(process.argv[2] ?? 20);
const idleSeconds = Number(process.argv[3] ?? 5);

/** Non-child `sleep 600` processes (their shell exits at once). */
function startSleeps(count) {
  const script = `i=0; while [ $i -lt ${count} ]; do sleep 600 </dev/null >/dev/null 2>&1 & echo $!; i=$((i+1)); done`;
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim().split('\n').map(Number);
}

function killAll(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function latency(options) {
  const samples = [];
  for (let i = 0; i < kills; i++) {
    const [pid] = startSleeps(1);
    const identity = processIdentity(pid);
    // keepAlive: nothing else keeps this script running while it awaits the callback.
    const fired = new Promise((resolve) =>
      watchExit(identity, () => resolve(process.hrtime.bigint()), { ...options, keepAlive: true }),
    );
    await pause(20 + Math.random() * (options.pollIntervalMs ?? 100)); // a random phase of the poll timer
    const killedAt = process.hrtime.bigint();
    process.kill(pid, 'SIGKILL');
    samples.push(Number((await fired) - killedAt) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p95: percentile(samples, 95), max: samples.at(-1) };
}

async function idleCost(options) {
  const pids = startSleeps(200);
  try {
    const watches = pids.map((pid) => watchExit(processIdentity(pid), () => {}, options));
    const start = process.cpuUsage();
    await pause(idleSeconds * 1000);
    const used = process.cpuUsage(start);
    for (const watch of watches) watch.close();
    return ((used.user + used.system) / 1000 / (idleSeconds * 1000)) * 100;
  } finally {
    killAll(pids);
  }
}

const modes = [
  ['pidfd', {}],
  ['poll (100 ms, the default)', { mode: 'poll' }],
  ['poll (250 ms)', { mode: 'poll', pollIntervalMs: 250 }],
];
console.log(`exitWatchMode(): ${JSON.stringify(exitWatchMode())}; ${kills} SIGKILLs per mode`);
for (const [name, options] of modes) {
  if (name === 'pidfd' && exitWatchMode().mode !== 'pidfd') {
    console.log(`${name}: unavailable here`);
    continue;
  }
  const { median, p95, max } = await latency(options);
  const cpu = await idleCost(options);
  console.log(
    `${name.padEnd(27)} kill->callback median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${max.toFixed(2)} ms; ` +
      `200 idle watches: ${cpu.toFixed(3)} % of a core`,
  );
}
