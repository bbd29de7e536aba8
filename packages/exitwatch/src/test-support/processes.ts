import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Reaper } from '@usrsvc/testkit';

/**
 * Starts `command` through a short-lived /bin/sh that backgrounds it and exits, so the process
 * is not our child (its parent becomes init or the nearest subreaper). Returns its pids, one
 * per line the script printed. Every descriptor is redirected so that nothing holds our pipe.
 */
function startDetached(script: string, reaper: Reaper): number[] {
  const out = execFileSync('sh', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const pids = out
    .trim()
    .split('\n')
    .map((line) => Number.parseInt(line, 10));
  for (const pid of pids) {
    if (!Number.isSafeInteger(pid) || Math.abs(pid) <= 1) throw new Error(`bad pid from sh: ${out}`);
    reaper.track(Math.abs(pid));
  }
  return pids;
}

/** `sleep seconds` as a non-child. */
export function startSleep(seconds: number, reaper: Reaper): number {
  return startDetached(`sleep ${seconds} </dev/null >/dev/null 2>&1 & echo $!`, reaper)[0]!;
}

/** `count` non-child `sleep 600` processes, started by one shell. */
export function startSleeps(count: number, reaper: Reaper): number[] {
  return startDetached(
    `i=0; while [ $i -lt ${count} ]; do sleep 600 </dev/null >/dev/null 2>&1 & echo $!; i=$((i+1)); done`,
    reaper,
  );
}

/**
 * A non-child `sleep 0.2` whose parent never reaps it: the parent shell execs `sleep 600`, which
 * never calls wait, so the first sleep stays a zombie (state Z) until the parent is killed.
 */
export function startZombieMaker(reaper: Reaper): { child: number; parent: number } {
  // The two shells print in either order: the parent's pid is printed negated.
  const pids = startDetached(
    "sh -c 'sleep 0.2 </dev/null >/dev/null 2>&1 & echo $!; exec sleep 600 >/dev/null 2>&1' </dev/null 2>/dev/null & echo -$!",
    reaper,
  );
  const child = pids.find((pid) => pid > 0);
  const parent = pids.find((pid) => pid < 0);
  return { child: child!, parent: -parent! };
}

export function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}
