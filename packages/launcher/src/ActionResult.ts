import type { ProcessIdentity, ProcessInfo } from '@usrsvc/procscan';
import type { Leftover } from './leftovers.js';

/** A running program as found: its process, executable, identity, and how it was found. */
export interface RunningProcess extends ProcessInfo {
  executable?: string;
  identity: ProcessIdentity;
  foundBy: 'pidfile' | 'scan' | 'launch';
}

export type Action = 'start' | 'stop' | 'restart' | 'status' | 'reload' | 'signal';

export type Outcome =
  | 'started'
  | 'already-running'
  | 'failed-to-launch'
  | 'exited-unexpectedly'
  | 'not-ready'
  | 'stopped-by-user'
  | 'disabled'
  | 'terminated'
  | 'killed'
  | 'not-running'
  | 'running'
  | 'stop-failed'
  | 'reloaded'
  | 'signalled'
  | 'no-reload-signal'
  /** What never reached a program (runProgramAction): no such program, a busy lock, a bug. */
  | 'undefined'
  | 'lock-timeout'
  | 'error';

export interface ActionResult {
  name: string;
  action: Action;
  /** A ReturnCodes value: what the CLI exits with. */
  code: number;
  outcome: Outcome;
  /** One line, for people. */
  message: string;
  process?: RunningProcess;
  /** Last lines of the program's stderr file written by this launch, when a start failed. */
  stderrTail?: string[];
  /**
   * Processes of the program's tree that outlived its main process (a child that escaped, or
   * stop_as_group off): after a stop, in a status, and when a start failed (they usually hold its port).
   */
  leftovers?: Leftover[];
  /** A start with a ready_check: how long the program took to be ready, or what the check said last. */
  readiness?: { check: string; readyAfterMs?: number; last?: string; status?: string };
  /** The stderr file's size when this launch began: what an alert should quote starts there. */
  stderrOffset?: number;
}
