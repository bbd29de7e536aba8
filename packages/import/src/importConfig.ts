import path from 'node:path';
import { builtinMonitoringKeys, programKeys } from '@usrsvc/config';
import { finishProgram } from './finishProgram.js';
import { importPm2 } from './pm2/importPm2.js';
import { importProcessCompose } from './processCompose/importProcessCompose.js';
import { importProcfile } from './procfile/importProcfile.js';
import { importSupervisord } from './supervisord/importSupervisord.js';
import type { DraftProgram, ImportOptions, ImportResult, ReportLine, SourceKind } from './types.js';

/**
 * Translates another manager's configuration into usrsvc program files (text, not written) and
 * a report line for every source setting. Throws ImportParseError when a source cannot be parsed.
 */
export async function importConfig(kind: SourceKind, files: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
  const drafts = await draftsOf(kind, files, options);
  const home = (options.env ?? process.env).HOME ?? '/';
  const keys = options.targetKeys ?? { program: programKeys, monitoring: builtinMonitoringKeys };
  const pidsDir = options.pidsDir ?? path.join(home, 'usrsvc.d', 'pids');
  const logsDir = options.logsDir ?? path.join(home, 'usrsvc.d', 'logs');
  const result: ImportResult = { programs: [], report: [], complete: true };
  const names = new Set<string>();
  for (const draft of drafts) {
    if (draft.name === '') {
      result.report.push(...draft.unmapped.map((item): ReportLine => ({ program: '', from: item.from, outcome: { notMapped: item.why } })));
      continue;
    }
    if (names.has(draft.name)) {
      result.report.push({ program: draft.name, from: draft.from, outcome: { notMapped: `a second program named ${draft.name}: the first one is kept` } });
      continue;
    }
    names.add(draft.name);
    const origin = `Imported by "usrsvc import ${kind}" from ${draft.from.file}${draft.from.line ? `:${draft.from.line}` : ''}`;
    const { program, report } = finishProgram(draft, { keys, pidsDir, logsDir, origin });
    result.programs.push(program);
    result.report.push(...report);
  }
  result.complete = result.report.every((line) => 'mapped' in line.outcome);
  return result;
}

function draftsOf(kind: SourceKind, files: readonly string[], options: ImportOptions): DraftProgram[] | Promise<DraftProgram[]> {
  switch (kind) {
    case 'supervisord':
      return importSupervisord(files, options);
    case 'pm2':
      return importPm2(files, options);
    case 'procfile':
      return importProcfile(files, options);
    case 'process-compose':
      return importProcessCompose(files, options);
  }
}
