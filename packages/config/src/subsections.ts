import type { ConfigProblems } from './ConfigProblems.js';
import { didYouMeanHint } from './didYouMean.js';
import type { ConfigEntry, ConfigSection } from './parseConfigobj.js';

/** The [[Env]] and [[Monitoring]] entries of a Program or DefaultSettings section. */
export interface SectionSubsections {
  env: ConfigEntry[];
  monitoring: ConfigEntry[];
}

const monitoringNames = ['Monitoring', 'Monitor'];
const subsectionNames = new Set(['Env', ...monitoringNames]);

/** For parseSettings' onUnknownKey: "Env = ..." written as a key instead of [[Env]]. True when reported. */
export function reportSubsectionWrittenAsKey(entry: ConfigEntry, problems: ConfigProblems): boolean {
  if (!subsectionNames.has(entry.key)) return false;
  problems.entryError(entry, `${entry.key} must be a subsection`, `write [[${entry.key}]] on its own line`);
  return true;
}

/** Finds [[Env]] and [[Monitoring]] (or the README's [[Monitor]]); any other subsection is an error. */
export function readSubsections(section: ConfigSection, problems: ConfigProblems): SectionSubsections {
  const result: SectionSubsections = { env: [], monitoring: [] };
  let monitoringSeen: string | undefined;
  for (const subsection of section.subsections) {
    const context = { file: subsection.file, line: subsection.line, section: section.name };
    if (subsection.name === 'Env') {
      result.env = [...subsection.entries.values()];
    } else if (monitoringNames.includes(subsection.name)) {
      if (monitoringSeen) {
        problems.error(`[[${subsection.name}]] repeats [[${monitoringSeen}]]; they are the same subsection`, {
          ...context,
          hint: 'merge them into one [[Monitoring]]',
        });
        continue;
      }
      monitoringSeen = subsection.name;
      result.monitoring = [...subsection.entries.values()];
    } else {
      const hint = didYouMeanHint(subsection.name, ['Env', ...monitoringNames]);
      problems.error(`unknown subsection [[${subsection.name}]]`, {
        ...context,
        hint: hint ?? 'valid subsections: [[Env]], [[Monitoring]] (or [[Monitor]])',
      });
    }
  }
  return result;
}
