import { type ProgramView, viewStatus } from '@usrsvc/api';

/** supervisord's process states (supervisor/states.py ProcessStates). */
export const ProcessStates = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

export type ProcessStateName = keyof typeof ProcessStates;
export type ProcessStateCode = (typeof ProcessStates)[ProcessStateName];

export const RUNNING_STATES: readonly number[] = [ProcessStates.RUNNING, ProcessStates.BACKOFF, ProcessStates.STARTING];
export const STOPPED_STATES: readonly number[] = [ProcessStates.STOPPED, ProcessStates.EXITED, ProcessStates.FATAL, ProcessStates.UNKNOWN];
export const SIGNALLABLE_STATES: readonly number[] = [ProcessStates.RUNNING, ProcessStates.STARTING, ProcessStates.STOPPING];

/** supervisord's own states (getState). */
export const SupervisorStates = { FATAL: 2, RUNNING: 1, RESTARTING: 0, SHUTDOWN: -1 } as const;

export function processStateName(code: number): ProcessStateName {
  for (const [name, value] of Object.entries(ProcessStates)) if (value === code) return name as ProcessStateName;
  return 'UNKNOWN';
}

/**
 * A usrsvc program's state as supervisord's process state. A process that runs is RUNNING
 * whatever usrsvcd's supervision makes of it (an unmanaged program that runs is running), except
 * while it is being started or stopped.
 */
export function processState(view: ProgramView): ProcessStateCode {
  const { state } = view;
  if (state.state === 'starting') return ProcessStates.STARTING;
  if (state.state === 'stopping') return ProcessStates.STOPPING;
  if (viewStatus(view).running) return ProcessStates.RUNNING;
  switch (state.state) {
    case 'running':
      return ProcessStates.RUNNING;
    case 'backoff':
      return ProcessStates.BACKOFF;
    case 'gave-up':
      return ProcessStates.FATAL;
    case 'stopped-by-user':
      return ProcessStates.STOPPED;
    case 'not-running':
      // supervisord: EXITED when it ran and ended on its own, STOPPED when never started or stopped.
      return view.lastExit && view.lastExit.cause.by !== 'user' ? ProcessStates.EXITED : ProcessStates.STOPPED;
    case 'not-managed':
      return ProcessStates.STOPPED;
  }
}
