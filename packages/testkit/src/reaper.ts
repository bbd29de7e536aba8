import fs from 'node:fs';

/**
 * Remembers the PIDs a test started (directly or through usrsvc) and kills exactly those.
 * Each PID is recorded with its start time, so a PID reused by another process is never killed.
 */
export class Reaper {
  private readonly tracked = new Map<number, string | undefined>();

  track(pid: number | undefined | null): void {
    if (!pid || pid <= 1) return;
    if (!this.tracked.has(pid)) this.tracked.set(pid, startTicksOf(pid));
  }

  /** Tracks the PID written in a pidfile, if the file exists and holds one. */
  trackPidfile(file: string): void {
    try {
      this.track(Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10));
    } catch {
      // no pidfile: nothing to track
    }
  }

  /** SIGKILLs every tracked process that is still the same process. */
  killAll(): void {
    for (const [pid, ticks] of this.tracked) {
      if (ticks !== undefined && startTicksOf(pid) !== ticks) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.tracked.clear();
  }
}

function startTicksOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
