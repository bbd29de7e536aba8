import type { ConfigWarning } from './types.js';

/** Where a configuration problem is: the file always, the rest when known. */
export interface ConfigProblemPlace {
  file: string;
  line?: number;
  section?: string;
  key?: string;
  hint?: string;
}

/** "file:line: [section] key: detail (hint)": one configuration error or warning on one line. */
export function formatConfigProblem(detail: string, place: ConfigProblemPlace): string {
  const location = place.line === undefined ? place.file : `${place.file}:${place.line}`;
  const section = place.section ? ` [${place.section}]` : '';
  const key = place.key ? ` ${place.key}:` : section ? ':' : '';
  const hint = place.hint ? ` (${place.hint})` : '';
  return `${location}:${section}${key} ${detail}${hint}`;
}

/** A warning of readConfig, as every app shows it: `formatConfigProblem` of its message. */
export function formatConfigWarning(warning: ConfigWarning): string {
  return formatConfigProblem(warning.message, warning);
}
