import { ConfigErrors } from './ConfigError.js';

/**
 * One configuration problem as data (the API's ConfigProblem has this shape): where, and the
 * detail with its hint.
 */
export interface ConfigProblemReport {
  file: string;
  line?: number;
  section?: string;
  key?: string;
  message: string;
}

/** What readConfig threw, as problems to show or send: every ConfigError, or the one error. */
export function configProblemsOf(error: unknown): ConfigProblemReport[] {
  if (error instanceof ConfigErrors) {
    return error.errors.map((e) => ({
      file: e.file,
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.section !== undefined ? { section: e.section } : {}),
      ...(e.key !== undefined ? { key: e.key } : {}),
      message: e.hint ? `${e.detail} (${e.hint})` : e.detail,
    }));
  }
  return [{ file: '', message: error instanceof Error ? error.message : String(error) }];
}
