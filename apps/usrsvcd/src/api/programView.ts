import fs from 'node:fs';
import { type ProgramView, processView, instanceView, programSettingsView, type ReadinessView, viewStatus } from '@usrsvc/api';
import { type LaunchContext, type NotifyState, programLeftovers } from '@usrsvc/launcher';
import { pageSize } from '@usrsvc/procscan';
import type { ProgramSupervisor } from '../ProgramSupervisor.js';
import { toApiState } from '../programState.js';

/** Current resident memory of pid in kB, read fresh (the scan's figure may be seconds old). */
function currentRssKb(pid: number, fallback: number): number {
  try {
    const resident = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(resident) ? Math.round((resident * pageSize()) / 1024) : fallback;
  } catch {
    return fallback;
  }
}

/**
 * What the API reports about one program. Never the environment: only names, flags, the
 * process's command line and the files its output goes to. Leftovers (processes of an earlier
 * run's tree that still run) are re-checked by identity when the program does not run.
 */
/** What the daemon knows beyond the supervisor: the program's sd_notify state, a held start. */
export interface ReadinessFacts {
  notify?: NotifyState | undefined;
  waitingFor?: string | undefined;
}

export function programView(supervisor: ProgramSupervisor, ctx: LaunchContext, now = Date.now(), facts: ReadinessFacts = {}): ProgramView {
  const { program } = supervisor;
  // Managed or not: a program that runs is reported with its process.
  const running = supervisor.process;
  const process = running ? processView(running, now, currentRssKb(running.pid, running.rssKb)) : null;
  const state = toApiState(supervisor.state);
  return {
    name: program.name,
    enabled: program.enabled,
    autoStart: program.autoStart,
    autoRestart: program.autoRestart,
    maxRestarts: program.maxRestarts,
    state,
    running: viewStatus({ state, process }).running,
    restarts: supervisor.restarts,
    startAttempts: supervisor.startAttempts,
    restartCounts: supervisor.restartCounts,
    process,
    lastExit: supervisor.lastExit,
    monitors: supervisor.monitorVerdicts,
    leftovers: running ? [] : programLeftovers(program.name, ctx),
    stdout: program.stdout,
    stderr: program.stderr,
    settings: programSettingsView(program),
    instance: instanceView(program),
    readiness: readinessView(supervisor, facts),
    dependsOn: program.dependsOn,
  };
}

function readinessView(supervisor: ProgramSupervisor, facts: ReadinessFacts): ReadinessView {
  const check = supervisor.program.readyCheck;
  const running = supervisor.runningProcess !== undefined;
  const notify = check?.kind === 'notify' ? facts.notify : undefined;
  return {
    check: check?.text ?? null,
    ready: running ? (notify ? notify.ready : true) : null,
    status: notify?.status ?? null,
    stopping: notify?.stopping ?? false,
    reloading: notify?.reloading ?? false,
    waitingFor: facts.waitingFor ?? null,
  };
}
