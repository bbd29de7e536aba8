// The floor every cold start stands on: the same services launched by `/bin/sh` in a loop (each
// `argv &`, no manager, nothing recorded), timed from outside by the same watch as a manager's
// cold start, right before it. What is above this is the manager's own work; what is below it
// no manager can reach on this machine (each python3 burns ~0.1 s of CPU starting, and the later
// launches wait for a core the earlier ones hold).
import fs from 'node:fs';
import path from 'node:path';
import { Reaper } from '@usrsvc/testkit';
import { pollUntil } from './run.mjs';
import { msUntilAllRun, scanServices } from './services.mjs';

const quoted = (word) => `'${word.replaceAll("'", `'\\''`)}'`;

/** Milliseconds from the shell's start to all services running; every service is killed again, by PID. */
export async function launchFloorMs(services, dir, env) {
  const script = path.join(dir, 'launch-floor.sh');
  fs.writeFileSync(script, `${services.map((s) => `${s.argv.map(quoted).join(' ')} >/dev/null 2>&1 &`).join('\n')}\n`);
  try {
    return await msUntilAllRun(services, ['/bin/sh', [script]], env, 'shell-launched');
  } finally {
    const reaper = new Reaper();
    for (const { pid } of scanServices(services).values()) reaper.track(pid);
    reaper.killAll();
    await pollUntil('the shell-launched services to end', () => (scanServices(services).size === 0 ? true : undefined), { everyMs: 20, timeoutMs: 30_000 });
  }
}
