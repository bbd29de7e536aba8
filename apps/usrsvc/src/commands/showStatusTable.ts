import type { UsrsvcConfig } from '@usrsvc/config';
import { type LaunchContext, ReturnCodes } from '@usrsvc/launcher';
import type { Printer } from '../printer.js';
import { resultJson } from '../resultJson.js';
import { formatStatusTable } from '../statusTable.js';
import { runProgramAction } from './runProgramAction.js';
import { statusContext } from './statusContext.js';

/**
 * `usrsvc status` with no name: a table of every program. A valid pidfile answers for its program
 * (a few /proc reads); the process table is scanned once, shared by every program whose pidfile
 * does not, and not at all when every pidfile is valid.
 */
export async function showStatusTable(
  json: boolean,
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
): Promise<number> {
  const programs = [...config.programs.values()];
  const shared = statusContext(ctx);
  const results = await Promise.all(
    programs.map((program) => runProgramAction('status', program, shared, printer)),
  );
  const statuses = results.map((result) => resultJson(result));
  if (json) {
    printer.out(JSON.stringify(statuses, null, 2));
  } else if (programs.length === 0) {
    printer.out(`No programs configured (${config.files.join(', ')}).`);
  } else {
    const rows = statuses.map((status, index) => ({ status, enabled: programs[index]!.enabled }));
    printer.out(formatStatusTable(rows, printer.outColors));
  }
  return ReturnCodes.SUCCESS;
}
