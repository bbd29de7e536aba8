import type { Monitor, MonitorVerdict } from '@usrsvc/monitors';
import { probe } from './probe.js';

export interface HttpMonitorOptions {
  url: string;
  /** ms one request may take. */
  timeoutMs: number;
  /** Which statuses are healthy. */
  expect: (status: number) => boolean;
  /** Consecutive failures that make a restart. */
  failures: number;
}

/**
 * A monitor that GETs `url` at each check and asks for a restart after `failures` consecutive
 * failures. The count lives in the monitor (one per program), is reset by a success, by a restart
 * verdict, and when the program's process changes (new PID or start time). A check aborted by
 * the daemon's monitor_timeout still counts its failure; when that failure reaches the threshold,
 * the next check asks for the restart at once, without a request.
 */
export function createHttpMonitor(options: HttpMonitorOptions): Monitor {
  let consecutive = 0;
  let lastReason = '';
  let processKey = '';
  const restart = (): MonitorVerdict => {
    const reason = `${options.url} failed ${consecutive} time${consecutive === 1 ? '' : 's'} in a row (http_failures = ${options.failures}); last: ${lastReason}`;
    consecutive = 0;
    return { restart: true, reason };
  };
  return {
    name: 'http',
    async check({ process, signal }) {
      const key = `${process.pid}:${process.startTicks}`;
      if (key !== processKey) {
        processKey = key;
        consecutive = 0;
      }
      if (consecutive >= options.failures) return restart();
      // Count a check cut short by the daemon's time limit the moment it is aborted, so that the
      // next check sees it even when it starts right away; its own answer is ignored anyway.
      let counted = false;
      const fail = (reason: string) => {
        if (counted) return;
        counted = true;
        consecutive += 1;
        lastReason = reason;
      };
      const onAbort = () => fail('no answer before the check was aborted (monitor_timeout)');
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      let result: Awaited<ReturnType<typeof probe>>;
      try {
        result = await probe(options.url, options.expect, options.timeoutMs, signal);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      if (counted) return { restart: false }; // aborted: nobody listens to this answer
      if (result.ok) {
        consecutive = 0;
        return { restart: false };
      }
      fail(result.reason);
      return consecutive >= options.failures ? restart() : { restart: false };
    },
  };
}
