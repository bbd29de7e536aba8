import { describe, expect, it } from 'vitest';
import { createWatchdogMonitor } from './watchdogMonitor.js';

const process = { pid: 4242 } as never;
const signal = new AbortController().signal;

describe('createWatchdogMonitor', () => {
  it('asks for a restart once no ping came for watchdog_seconds, and not before', () => {
    let last: number | undefined = 10_000;
    const monitor = createWatchdogMonitor({ seconds: 3, lastPingMs: () => last });
    expect(monitor.check({ process, signal, now: 13_000 })).toEqual({ restart: false });
    expect(monitor.check({ process, signal, now: 13_500 })).toEqual({
      restart: true,
      reason: 'no WATCHDOG=1 from pid 4242 for 3.5 s (watchdog_seconds = 3)',
    });
    last = undefined;
    expect(monitor.check({ process, signal, now: 99_000 })).toEqual({ restart: false });
  });
});
