import type { ActionResult } from '@usrsvc/launcher';

/** A launcher ActionResult (runProgramAction's outcomes include what never reached a program). */
export type ProgramResult = ActionResult;
