import type { ProgramConfig, UsrsvcConfig } from '@usrsvc/config';
import { type LaunchContext, ReturnCodes, runProgramAction } from '@usrsvc/launcher';
import type { Printer } from '../printer.js';
import { resultJson } from '../resultJson.js';
import { resultsFromViewsJson } from '../resultsFromViewsJson.js';
import { formatStatusTable } from '../statusTable.js';
import { type ReadDaemonPrograms, readDaemonPrograms, resultFromView, withDaemonView } from '../daemonView.js';
import { debugError } from './debugError.js';
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
  daemonPrograms: ReadDaemonPrograms = readDaemonPrograms,
): Promise<number> {
  const programs = [...config.programs.values()];
  const views = await daemonPrograms(ctx.env ?? process.env);
  // usrsvcd's view is the one state: when it knows every program, no scan of our own is needed.
  const daemonViews = views.running && programs.every((program) => views.programs.has(program.name)) ? programs.map((program) => views.programs.get(program.name)!) : undefined;
  if (json && daemonViews) {
    printer.out(resultsFromViewsJson(daemonViews));
    return ReturnCodes.SUCCESS;
  }
  const statuses = daemonViews
    ? daemonViews.map((view) => resultFromView(view))
    : (await localStatuses(programs, ctx, printer)).map((status) => withDaemonView(status, views));
  if (!views.running) printer.err(`usrsvcd is not running (${views.why}): no restart counts or states from it.`);
  if (json) {
    printer.out(JSON.stringify(statuses, null, 2));
  } else if (programs.length === 0) {
    printer.out(`No programs configured (${config.files.join(', ')}).`);
  } else {
    const rows = statuses.map((status, index) => ({ status, enabled: programs[index]!.enabled, daemon: status.usrsvcd }));
    printer.out(formatStatusTable(rows, printer.outColors));
  }
  return ReturnCodes.SUCCESS;
}

async function localStatuses(programs: ProgramConfig[], ctx: LaunchContext, printer: Printer) {
  const shared = statusContext(ctx);
  const results = await Promise.all(programs.map((program) => runProgramAction({ name: program.name, program }, 'status', shared, debugError(printer))));
  return results.map((result) => resultJson(result));
}
