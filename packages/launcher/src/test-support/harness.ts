import { makeTempHome, Reaper, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach } from 'vitest';
import type { LaunchContext } from '../LaunchContext.js';
import { processesUnder } from './processTree.js';
import { type RecordedLogger, recordingLogger } from './programConfig.js';

export interface Harness {
  home: TempHome;
  reaper: Reaper;
  logger: RecordedLogger;
  ctx: LaunchContext;
  /** Start options that hand every launched PID to the reaper. */
  track: { onLaunched(pid: number): void };
}

/** A fresh temporary HOME, context and reaper per test; every tracked PID is SIGKILLed after it. */
export function useHarness(): Harness {
  const harness = {} as Harness;
  const pidfiles: string[] = [];
  beforeEach(() => {
    harness.home = makeTempHome('usrsvc-launcher-test-');
    harness.reaper = new Reaper();
    harness.logger = recordingLogger();
    harness.ctx = { env: harness.home.env(), logger: harness.logger, pollIntervalMs: 25 };
    harness.track = { onLaunched: (pid) => harness.reaper.track(pid) };
  });
  afterEach(() => {
    for (const file of pidfiles) harness.reaper.trackPidfile(file);
    // Whole trees: workers, escaped children and sentinels all run programs below the test's HOME.
    for (const { pid } of processesUnder(harness.home)) harness.reaper.track(pid);
    harness.reaper.killAll();
    harness.home.remove();
  });
  return harness;
}
