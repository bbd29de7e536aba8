import type { ProgramState, ProgramView } from './types.js';

/** What every surface (status table, --json, API, page, metrics) says about whether a program runs. */
export interface ProgramStatus {
  /** A process of the program runs: supervised, or not managed and started by hand. */
  running: boolean;
  pid: number | null;
  /** usrsvcd starts and restarts it (not the `not-managed` state). */
  managed: boolean;
}

/**
 * The one rule for "is it running": a process is reported (usrsvcd reports the process of a
 * program it does not manage too), or the state says running. Pure and dependency-free, so the
 * page's bundle can use it (`@usrsvc/api/status`).
 */
export function viewStatus(view: { state: ProgramState; process: { pid: number } | null }): ProgramStatus {
  const { state, process } = view;
  const pid = process?.pid ?? (state.state === 'running' ? state.pid : state.state === 'not-managed' ? (state.pid ?? null) : null);
  return { running: pid !== null, pid, managed: state.state !== 'not-managed' };
}

/** The words for a program usrsvcd does not manage: "disabled", "running (not managed)", "stopped (not managed)". */
export function unmanagedWords(view: Pick<ProgramView, 'state' | 'process'>): string | undefined {
  const { state } = view;
  if (state.state !== 'not-managed') return undefined;
  const { running } = viewStatus(view);
  if (state.why === 'disabled') return running ? 'disabled (running)' : 'disabled';
  return running ? 'running (not managed)' : 'stopped (not managed)';
}
