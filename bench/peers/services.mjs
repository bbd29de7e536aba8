// The N services every manager runs, and finding them from outside by their argv alone.
import { allPids, cmdline, isAlive, lastPid, PID_MAX, procStat } from './procfs.mjs';
import { pollUntil, runOk } from './run.mjs';

const PENDING_MS = 3000;

export const PYTHON = '/usr/bin/python3';
export const SLEEP_CODE = 'import time,sys; time.sleep(10**6)';

/** svc0..svc(N-1); each is `python3 -c 'import time,sys; time.sleep(10**6)' svcI`. */
export function makeServices(count) {
  return Array.from({ length: count }, (_, i) => {
    const name = `svc${i}`;
    const argv = [PYTHON, '-c', SLEEP_CODE, name];
    return { index: i, name, argv, title: argv.join(' ') };
  });
}

/** Full /proc scan: name -> { pid, startTicks } of each service that runs now. */
export function scanServices(services) {
  const byTitle = new Map(services.map((s) => [s.title, s]));
  const found = new Map();
  for (const pid of allPids()) {
    const service = byTitle.get(cmdline(pid));
    if (!service) continue;
    const stat = procStat(pid);
    if (stat && stat.state !== 'Z' && stat.state !== 'X') found.set(service.name, { pid, startTicks: stat.startTicks });
  }
  return found;
}

/**
 * Watches the PIDs the kernel hands out from now on (/proc/loadavg's last PID) and reports each
 * new process whose argv becomes a service's: cheap enough to poll every millisecond, and the same
 * test for every manager (no manager's own bookkeeping is trusted). A new PID that does not match
 * yet (a shell about to exec) is looked at again on each poll while it lives.
 */
export class NewServiceWatch {
  constructor(services) {
    this.byTitle = new Map(services.map((s) => [s.title, s]));
    this.last = lastPid();
    /** pid -> when it was first seen; given up after PENDING_MS (someone else's long-lived process) */
    this.pending = new Map();
  }

  /** New service processes seen since the last call: [{ name, pid }]. */
  poll() {
    const now = lastPid();
    if (now !== this.last) {
      let pid = this.last;
      while (pid !== now) {
        pid = pid >= PID_MAX ? 300 : pid + 1;
        this.pending.set(pid, Date.now());
      }
      this.last = now;
    }
    const found = [];
    const clock = Date.now();
    for (const [pid, since] of this.pending) {
      const service = this.byTitle.get(cmdline(pid));
      if (service && isAlive(pid)) {
        found.push({ name: service.name, pid });
        this.pending.delete(pid);
      } else if (clock - since > PENDING_MS || !isAlive(pid)) {
        this.pending.delete(pid);
      }
    }
    return found;
  }
}

/**
 * Runs `spec` (a manager's start, or a shell loop) and resolves with the milliseconds from its
 * start until every service runs as a new process (NewServiceWatch, 2 ms poll), once the command
 * itself has ended; a command that fails first fails this.
 */
export async function msUntilAllRun(services, spec, env, who) {
  const watch = new NewServiceWatch(services);
  const seen = new Set();
  const t0 = performance.now();
  const starting = runOk(spec, env);
  let startError;
  starting.catch((error) => {
    startError = error;
  });
  await pollUntil(() => `all ${services.length} ${who} services to run (${seen.size} seen)`, () => {
    if (startError) throw startError;
    for (const found of watch.poll()) seen.add(found.name);
    return seen.size === services.length ? true : undefined;
  }, { everyMs: 2, timeoutMs: 120_000 });
  const ms = performance.now() - t0;
  await starting;
  return ms;
}
