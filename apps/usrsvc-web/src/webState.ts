import type { ConfigProblem, DaemonView, ProgramView } from '@usrsvc/api';

/** Where the dashboard's view comes from: usrsvcd's API, or (no daemon) the launcher and the process table. */
export type SourceMode = 'daemon' | 'launcher';

export interface WebState {
  mode: SourceMode;
  daemon: DaemonView | null;
  /** Why the daemon's view is not used (usrsvcd not running, its API failing), for people. */
  daemonProblem: string | null;
  programs: ProgramView[];
  /** Errors of the configuration as read by usrsvc-web itself (launcher mode). */
  configErrors: ConfigProblem[];
}

/** What the page's event stream (/api/events) sends; the SSE `event:` field is the `type`. */
export type WebEvent =
  | { type: 'snapshot'; state: WebState }
  | { type: 'program'; program: ProgramView }
  | { type: 'program-removed'; name: string }
  | { type: 'daemon'; daemon: DaemonView };
