import type { Monitor } from './MonitorPlugin.js';

/** The watchdog monitor's name: usrsvcd counts, logs and alerts its restarts as watchdog timeouts. */
export const WATCHDOG_MONITOR = 'watchdog';

export interface WatchdogMonitorOptions {
  /** watchdog_seconds: the longest allowed time between two WATCHDOG=1 pings. */
  seconds: number;
  /**
   * When the last ping (or READY=1) of the program running as `pid` arrived, ms since the epoch;
   * undefined when no one listens to its notify socket (then nothing is known and the answer is "fine").
   */
  lastPingMs(pid: number): number | undefined;
}

/**
 * sd_notify's watchdog (systemd's WatchdogSec) as a monitor: a program with ready_check = notify
 * and watchdog_seconds pings WATCHDOG=1; when no ping came for that long, it is restarted like
 * any monitor restart (logged, alerted, counted).
 */
export function createWatchdogMonitor(options: WatchdogMonitorOptions): Monitor {
  return {
    name: WATCHDOG_MONITOR,
    armedByProgram: true,
    check({ now, process }) {
      const last = options.lastPingMs(process.pid);
      if (last === undefined) return { restart: false };
      const silentMs = now - last;
      if (silentMs <= options.seconds * 1000) return { restart: false };
      return { restart: true, reason: `no WATCHDOG=1 from pid ${process.pid} for ${(silentMs / 1000).toFixed(1)} s (watchdog_seconds = ${options.seconds})` };
    },
  };
}
