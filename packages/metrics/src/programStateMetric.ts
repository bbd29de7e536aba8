import { type ProgramView, viewStatus } from '@usrsvc/api';

/** The values of `usrsvc_program_state{state}`: one series per name, 1 for the current one. */
export const METRIC_STATES = [
  'running',
  'starting',
  'backoff',
  'gave_up',
  'stopped_by_user',
  'not_running',
  'disabled',
] as const;

export type MetricState = (typeof METRIC_STATES)[number];

/**
 * Maps the API's state to the metric's. `stopping` is the first half of a monitor restart: the
 * program is on its way to a new start, so it counts as `starting` (and not up). A `not-managed`
 * program is `disabled` when enabled=False; otherwise (autostart=False and autorestart=False) it is
 * `running` when its process runs (started by hand) and `not_running` when not.
 */
export function metricStateOf(program: ProgramView): MetricState {
  const { state } = program;
  switch (state.state) {
    case 'running':
      return 'running';
    case 'starting':
    case 'stopping':
      return 'starting';
    case 'backoff':
      return 'backoff';
    case 'gave-up':
      return 'gave_up';
    case 'stopped-by-user':
      return 'stopped_by_user';
    case 'not-running':
      return 'not_running';
    case 'not-managed':
      if (state.why === 'disabled') return 'disabled';
      return viewStatus(program).running ? 'running' : 'not_running';
  }
}

/** `usrsvc_program_up`: 1 when a process of the program runs (viewStatus, as every status surface says), else 0. */
export function isProgramUp(program: ProgramView): boolean {
  return viewStatus(program).running;
}
