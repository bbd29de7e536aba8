import fs from 'node:fs';
import os from 'node:os';

let cachedBootTimeMs: number | undefined;

/**
 * When the system booted, in ms since the epoch. Taken once from /proc/uptime (10 ms resolution)
 * rather than /proc/stat's btime (whole seconds), so that start times are precise to the tick.
 * Falls back to btime, then to os.uptime().
 */
export function bootTime(): number {
  if (cachedBootTimeMs === undefined) cachedBootTimeMs = readBootTimeMs();
  return cachedBootTimeMs;
}

function readBootTimeMs(): number {
  try {
    const uptimeSeconds = Number.parseFloat(fs.readFileSync('/proc/uptime', 'latin1'));
    if (Number.isFinite(uptimeSeconds)) return Math.round(Date.now() - uptimeSeconds * 1000);
  } catch {
    // no /proc/uptime
  }
  try {
    const btime = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'latin1'));
    if (btime) return Number(btime[1]) * 1000;
  } catch {
    // no /proc/stat
  }
  return Math.round(Date.now() - os.uptime() * 1000);
}
