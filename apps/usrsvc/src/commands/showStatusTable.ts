import type { UsrsvcConfig } from '@usrsvc/config';
import { type LaunchContext, ReturnCodes } from '@usrsvc/launcher';
import { snapshotProcesses } from '@usrsvc/procscan';
import type { Printer } from '../printer.js';
import { resultJson } from '../resultJson.js';
import { formatStatusTable } from '../statusTable.js';
import { runProgramAction } from './runProgramAction.js';

/** `usrsvc status` with no name: a table of every program from one scan of the process table. */
export async function showStatusTable(
  json: boolean,
  config: UsrsvcConfig,
  ctx: LaunchContext,
  printer: Printer,
): Promise<number> {
  const table = await snapshotProcesses({ uid: ctx.uid });
  const programs = [...config.programs.values()];
  const results = await Promise.all(
    programs.map((program) => runProgramAction('status', program, ctx, printer, table)),
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
