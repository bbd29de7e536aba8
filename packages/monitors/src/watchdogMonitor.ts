import type { Monitor } from './MonitorPlugin.js';

export interface WatchdogMonitorOptions {
  /** watchdog_seconds: the longest allowed time between two WATCHDOG=1 pings. */
  seconds: number;
  /**
   * When the program's last ping (or READY=1) arrived, ms since the epoch; undefined when no one
   * listens to its notify socket (then nothing is known and the answer is "fine").
   */
  lastPingMs(): number | undefined;
}

/**
 * sd_notify's watchdog (systemd's WatchdogSec) as a monitor: a program with ready_check = notify
 * and watchdog_seconds pings WATCHDOG=1; when no ping came for that long, it is restarted like
 * any monitor restart (logged, alerted, counted).
 */
export function createWatchdogMonitor(options: WatchdogMonitorOptions): Monitor {
  return {
    name: 'watchdog',
    check({ now, process }) {
      const last = options.lastPingMs();
      if (last === undefined) return { restart: false };
      const silentMs = now - last;
      if (silentMs <= options.seconds * 1000) return { restart: false };
      return { restart: true, reason: `no WATCHDOG=1 from pid ${process.pid} for ${(silentMs / 1000).toFixed(1)} s (watchdog_seconds = ${options.seconds})` };
    },
  };
}
