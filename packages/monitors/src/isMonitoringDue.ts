import type { ProcessInfo, ProgramConfig } from './MonitorPlugin.js';

type Gate = { monitoring: Pick<ProgramConfig['monitoring'], 'monitor_after'> };

/**
 * When monitoring of this process may begin, ms since the epoch: its start time plus
 * `monitor_after` seconds (0 or less: at once, i.e. its start time).
 */
export function monitoringDueAt(program: Gate, process: Pick<ProcessInfo, 'startTime'>): number {
  const after = Number(program.monitoring.monitor_after);
  return after > 0 ? process.startTime + after * 1000 : process.startTime;
}

/**
 * True when the process has run for at least `monitor_after` seconds, so the daemon's monitor pass
 * should check it (the original skipped a program while `now - start < monitor_after`; 0 = at once).
 */
export function isMonitoringDue(program: Gate, process: Pick<ProcessInfo, 'startTime'>, now: number): boolean {
  const after = Number(program.monitoring.monitor_after);
  if (!(after > 0)) return true;
  return now - process.startTime >= after * 1000;
}
