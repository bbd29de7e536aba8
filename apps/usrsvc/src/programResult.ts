import type { ActionResult } from '@usrsvc/launcher';

/** A launcher ActionResult, or one the CLI made up for what never reached the launcher. */
export type ProgramResult = Omit<ActionResult, 'outcome'> & {
  outcome: ActionResult['outcome'] | 'undefined' | 'lock-timeout' | 'error';
};
