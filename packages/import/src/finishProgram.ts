import { expandInstanceFields, parseKeyValue } from '@usrsvc/config';
import { isEnvName, renderValue } from './renderValue.js';
import type { DraftProgram, ImportedProgram, ProposedSetting, ReportLine, TargetKeys } from './types.js';

export interface FinishOptions {
  keys: TargetKeys;
  pidsDir: string;
  logsDir: string;
  /** Header comment: what the file was imported from. */
  origin: string;
}

/**
 * Keeps each proposed setting the installed usrsvc knows and accepts, reports the others as
 * "not mapped", makes up a pidfile and a log file where the source has none, and renders the file.
 */
export function finishProgram(draft: DraftProgram, options: FinishOptions): { program: ImportedProgram; report: ReportLine[] } {
  const report: ReportLine[] = [];
  const kept = new Map<string, ProposedSetting>();
  const keyOf = (setting: ProposedSetting) => `${setting.where}\u0000${setting.key}`;

  for (const setting of draft.settings) {
    const why = refusal(setting, options.keys);
    if (why) {
      report.push({ program: draft.name, from: setting.from, outcome: { notMapped: why } });
      continue;
    }
    kept.set(keyOf(setting), setting);
    const target = setting.where === 'program' ? setting.key : `[[${setting.where === 'env' ? 'Env' : 'Monitoring'}]] ${setting.key}`;
    report.push({ program: draft.name, from: setting.from, outcome: { mapped: target }, ...(setting.note ? { note: setting.note } : {}) });
  }
  for (const item of draft.notes) report.push({ program: draft.name, from: item.from, outcome: { mapped: 'nothing to set' }, note: item.note });
  for (const item of draft.unmapped) report.push({ program: draft.name, from: item.from, outcome: { notMapped: item.why } });

  const instances = Number(kept.get('program\u0000instances')?.value ?? '1');
  const suffix = instances > 1 ? '@%(instance)d' : '';
  const folders = new Set<string>();
  const madeUp = (key: string, value: string) => {
    const setting: ProposedSetting = { where: 'program', key, value, from: { ...draft.from, key: `(no ${key})` } };
    kept.set(keyOf(setting), setting);
    folders.add(value.slice(0, value.lastIndexOf('/')));
    report.push({ program: draft.name, from: setting.from, outcome: { mapped: key }, note: `made up: ${value}` });
  };
  if (instances > 1) {
    // Each instance needs its own pidfile and log files (pm2 too writes out-0.log, out-1.log...).
    for (const key of ['pidfile', 'stdout', 'stderr']) {
      const setting = kept.get(`program\u0000${key}`);
      if (!setting || setting.value === 'stdout' || setting.value === '/dev/null' || /%\(instance\)/.test(setting.value)) continue;
      const value = setting.value.replace(/(\.[^./]*)?$/, (ext) => `-%(instance)d${ext}`);
      kept.set(`program\u0000${key}`, { ...setting, value });
      const line = report.find((item) => item.from === setting.from && 'mapped' in item.outcome && item.outcome.mapped === key);
      if (line) line.note = `one per instance: ${value}`;
    }
  }
  if (!kept.has('program\u0000pidfile')) madeUp('pidfile', `${options.pidsDir}/${draft.name}${suffix}.pid`);
  if (!kept.has('program\u0000stdout')) madeUp('stdout', `${options.logsDir}/${draft.name}${suffix}.log`);

  const lines = [`# ${options.origin}`, `[Program:${draft.name}]`];
  const sub: Record<'env' | 'monitoring', string[]> = { env: [], monitoring: [] };
  for (const setting of kept.values()) {
    // Without instances, %(instance)d placeholders (from %(process_num)d) are the only instance: 0.
    const value = instances > 1 ? setting.value : expandInstanceFields(setting.value, 0);
    const line = `${setting.key} = ${renderValue(value)}`;
    if (setting.where === 'program') lines.push(line);
    else sub[setting.where].push(`  ${line}`);
  }
  if (sub.env.length > 0) lines.push('', '  [[Env]]', ...sub.env);
  if (sub.monitoring.length > 0) lines.push('', '  [[Monitoring]]', ...sub.monitoring);
  report.sort((a, b) => (a.from.line ?? 0) - (b.from.line ?? 0));
  return { program: { name: draft.name, text: `${lines.join('\n')}\n`, folders: [...folders] }, report };
}

function refusal(setting: ProposedSetting, keys: TargetKeys): string | undefined {
  if (renderValue(setting.value) === undefined) {
    return `${JSON.stringify(setting.value)} cannot be written in a usrsvc file (a newline, or both kinds of quote with " #")`;
  }
  if (setting.where === 'env') {
    return isEnvName(setting.key) ? undefined : `${JSON.stringify(setting.key)} is not a variable name usrsvc can set`;
  }
  const spec = (setting.where === 'program' ? keys.program : keys.monitoring)[setting.key];
  if (!spec) return `usrsvc has no ${setting.key} yet`;
  const parsed = parseKeyValue(spec, setting.value);
  if (!parsed.ok) return `usrsvc's ${setting.key} does not take ${JSON.stringify(setting.value)} (yet): ${parsed.error}`;
  return undefined;
}
