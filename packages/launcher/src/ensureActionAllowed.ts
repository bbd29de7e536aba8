import type { Action, ActionResult } from './ActionResult.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { ReturnCodes } from './returnCodes.js';

/**
 * A disabled program (enabled=False) can be stopped and asked about, nothing else; the CLI and
 * the daemon both go through this. Returns the refusal, or undefined when the action is allowed.
 */
export function ensureActionAllowed(program: Pick<LauncherProgram, 'name' | 'enabled'>, action: Action): ActionResult | undefined {
  if (program.enabled || action === 'stop' || action === 'status') return undefined;
  return {
    name: program.name,
    action,
    code: ReturnCodes.PROGRAM_DISABLED,
    outcome: 'disabled',
    message: `${program.name} is disabled in its config; only stop and status are allowed`,
  };
}
