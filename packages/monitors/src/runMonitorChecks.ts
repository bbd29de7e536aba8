import type { Monitor } from './MonitorPlugin.js';
import { type MonitorOutcome, type RunMonitorCheckContext, runMonitorCheck } from './runMonitorCheck.js';

/**
 * Runs every monitor of one program at the same time, each with its own time limit, and returns
 * their outcomes in the monitors' order. Never throws. Restart when any outcome is 'restart'.
 */
export function runMonitorChecks(
  monitors: readonly Monitor[],
  context: RunMonitorCheckContext,
  timeoutMs: number,
): Promise<MonitorOutcome[]> {
  const now = context.now ?? Date.now();
  return Promise.all(monitors.map((monitor) => runMonitorCheck(monitor, { ...context, now }, timeoutMs)));
}
