// SIGKILL -> running again, timed from outside the same way for every manager and for the restart floor.
import { pollUntil, sleep } from './run.mjs';
import { NewServiceWatch, scanServices } from './services.mjs';

/** SIGKILL one service at a time; the times until a new process with its argv lives (1 ms poll). */
export async function restartLatency(services, restarts) {
  const times = [];
  const step = Math.max(1, Math.floor(services.length / restarts));
  for (let k = 0; k < restarts; k++) {
    const service = services[(k * step + 2) % services.length];
    const before = scanServices([service]).get(service.name);
    if (!before) throw new Error(`${service.name} is not running before its SIGKILL`);
    const watch = new NewServiceWatch([service]);
    const t0 = performance.now();
    process.kill(before.pid, 'SIGKILL');
    await pollUntil(`${service.name} to run again`, () => (watch.poll().length > 0 ? true : undefined), { everyMs: 1, timeoutMs: 30_000 });
    times.push(performance.now() - t0);
    await sleep(150);
  }
  return times;
}
