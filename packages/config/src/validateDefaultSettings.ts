import type { ConfigProblems } from './ConfigProblems.js';
import { programKeys } from './keySpecs.js';
import type { ConfigEntry, ConfigSection } from './parseConfigobj.js';
import { type MonitoringKeyRules, parseMonitoring } from './parseMonitoring.js';
import { parseSettings } from './parseSettings.js';
import { readSubsections, reportSubsectionWrittenAsKey } from './subsections.js';
import type { DefaultSettingsConfig } from './types.js';

/** Checks a [DefaultSettings:NAME] on its own, so its mistakes are reported even when no program uses it. */
export function validateDefaultSettings(
  name: string,
  section: ConfigSection,
  problems: ConfigProblems,
  monitoringRules: MonitoringKeyRules,
): DefaultSettingsConfig {
  const subsections = readSubsections(section, problems);
  parseSettings(section.entries.values(), programKeys, problems, {
    onUnknownKey: (entry) => reportSubsectionWrittenAsKey(entry, problems),
  });
  const defaultsEntry = section.entries.get('defaults');
  if (defaultsEntry) {
    problems.warn({
      file: defaultsEntry.file,
      line: defaultsEntry.line,
      section: section.name,
      key: 'defaults',
      message: 'ignored: a DefaultSettings section cannot inherit from another',
    });
  }
  parseMonitoring(subsections.monitoring, monitoringRules, problems);
  return {
    name,
    file: section.file,
    line: section.line,
    settings: toRecord(section.entries.values()),
    env: toRecord(subsections.env),
    monitoring: toRecord(subsections.monitoring),
  };
}

function toRecord(entries: Iterable<ConfigEntry>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const entry of entries) record[entry.key] = entry.value;
  return record;
}
