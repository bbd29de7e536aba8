import { ReturnCodes } from '@usrsvc/launcher';
import type { ProgramResult } from './programResult.js';

/** Whether the program is running after the action (a stop result still names the process it ended). */
export function isRunningResult(result: ProgramResult): boolean {
  if (result.process === undefined) return false;
  if (result.action === 'status') return true;
  if (result.action === 'stop') return result.code !== ReturnCodes.SUCCESS;
  return result.code === ReturnCodes.SUCCESS;
}
