import type { MonitorVerdict } from '@usrsvc/api';
import { type Monitor, type MonitorOutcome, isMonitoringDue, runMonitorChecks } from '@usrsvc/monitors';
import type { ProcessTable } from '@usrsvc/procscan';
import type { Logger } from './log.js';
import type { ProgramSupervisor } from './ProgramSupervisor.js';

export interface MonitoredProgram {
  supervisor: ProgramSupervisor;
  monitors: readonly Monitor[];
  log: Logger;
}

/**
 * One monitor pass: every running program whose monitor_after has passed is checked (a monitor the
 * program arms itself, the watchdog, at once), all programs at once, each check bounded by timeoutMs. A program whose previous checks are still running is
 * skipped (a hung check must not pile up). Restart verdicts go to the program's supervisor.
 */
export async function runMonitorPass(
  programs: readonly MonitoredProgram[],
  table: ProcessTable,
  options: { timeoutMs: number; signal?: AbortSignal; inFlight: Set<string> },
): Promise<void> {
  const now = Date.now();
  await Promise.all(
    programs.map(async ({ supervisor, monitors, log }) => {
      const known = supervisor.runningProcess;
      if (!known || monitors.length === 0 || options.inFlight.has(supervisor.name)) return;
      const process = table.get(known.pid) ?? known;
      if (process.startTicks !== known.startTicks) return;
      const due = isMonitoringDue(supervisor.program, process, now) ? monitors : monitors.filter((m) => m.armedByProgram);
      if (due.length === 0) return;
      options.inFlight.add(supervisor.name);
      let restarting = false;
      try {
        const outcomes = await runMonitorChecks(due, { process, now, signal: options.signal }, options.timeoutMs);
        const checkedAt = new Date().toISOString();
        for (const outcome of outcomes) {
          supervisor.recordVerdict(verdictOf(outcome, checkedAt));
          if (outcome.kind === 'error') log.warn(`MONITOR: ${outcome.monitor} failed: ${outcome.error.message} (not a reason to restart).`);
          if (outcome.kind === 'timeout') log.warn(`MONITOR: ${outcome.monitor} timed out (${outcome.timeoutMs / 1000} seconds) checking pid ${process.pid}.`);
        }
        const restart = outcomes.find((o) => o.kind === 'restart');
        if (restart?.kind === 'restart' && supervisor.runningProcess === known) {
          // Not awaited: a restart takes term_to_kill_seconds + success_seconds and must not hold up passes.
          restarting = true;
          supervisor
            .restartForMonitor(restart.monitor, restart.reason)
            .catch((error: unknown) => log.error(`MONITOR: restart failed: ${String(error)}`))
            .finally(() => options.inFlight.delete(supervisor.name));
        }
      } catch (error) {
        log.error(`MONITOR: pass failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        if (!restarting) options.inFlight.delete(supervisor.name);
      }
    }),
  );
}

/** A check's outcome as the API reports it. */
export function verdictOf(outcome: MonitorOutcome, checkedAt: string): MonitorVerdict {
  const base = { monitor: outcome.monitor, verdict: outcome.kind, checkedAt, durationMs: Math.round(outcome.durationMs) };
  switch (outcome.kind) {
    case 'ok':
      return base;
    case 'restart':
      return { ...base, detail: outcome.reason };
    case 'error':
      return { ...base, detail: outcome.error.message };
    case 'timeout':
      return { ...base, detail: `no answer within ${outcome.timeoutMs} ms` };
  }
}
