// The floor every restart stands on: the same services kept by restartFloorManager.mjs (usrsvcd's
// own pidfd watch and native double fork, and nothing else: no lock, pidfile, record or log), and
// SIGKILLed as a manager's are, timed by the same watch. What is above it is the manager's own work.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Reaper } from '@usrsvc/testkit';
import { restartLatency } from './restartLatency.mjs';
import { pollUntil, sleep } from './run.mjs';
import { scanServices } from './services.mjs';

const MANAGER = fileURLToPath(new URL('./restartFloorManager.mjs', import.meta.url));

/** The restart latencies (restartLatency) of `services` kept by the floor manager; every process it made is killed by PID. */
export async function restartFloorTimes(services, dir, env, restarts) {
  const list = path.join(dir, 'restart-floor.json');
  fs.writeFileSync(list, JSON.stringify(services.map((s) => s.argv)));
  const manager = spawn(process.execPath, [MANAGER, list], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const reaper = new Reaper();
  reaper.track(manager.pid);
  try {
    await new Promise((resolve, reject) => {
      manager.stdout.once('data', resolve);
      manager.once('exit', (code) => reject(new Error(`the restart floor's manager exited (${code})`)));
    });
    await pollUntil('the restart floor to run every service', () => (scanServices(services).size === services.length ? true : undefined), { everyMs: 50, timeoutMs: 60_000 });
    await sleep(2000);
    return await restartLatency(services, restarts);
  } finally {
    reaper.killAll();
    for (const { pid } of scanServices(services).values()) reaper.track(pid);
    reaper.killAll();
    await pollUntil('the restart floor services to end', () => (scanServices(services).size === 0 ? true : undefined), { everyMs: 20, timeoutMs: 30_000 });
  }
}
