import { type ConfigProblemPlace, formatConfigProblem } from './formatConfigProblem.js';

export type ConfigErrorContext = ConfigProblemPlace;

/** One problem in the configuration, with where it is and (when known) what would be valid. */
export class ConfigError extends Error {
  readonly code = 'USRSVC_CONFIG' as const;
  readonly file: string;
  readonly line?: number;
  readonly section?: string;
  readonly key?: string;
  readonly hint?: string;
  /** The problem alone, without the location prefix that `message` carries. */
  readonly detail: string;

  constructor(detail: string, context: ConfigErrorContext) {
    super(formatConfigProblem(detail, context));
    this.name = 'ConfigError';
    this.detail = detail;
    this.file = context.file;
    if (context.line !== undefined) this.line = context.line;
    if (context.section !== undefined) this.section = context.section;
    if (context.key !== undefined) this.key = context.key;
    if (context.hint !== undefined) this.hint = context.hint;
  }
}

/** What readConfig throws: every problem found in one read. */
export class ConfigErrors extends Error {
  readonly code = 'USRSVC_CONFIG' as const;
  readonly errors: ConfigError[];

  constructor(errors: ConfigError[]) {
    const heading =
      errors.length === 1 ? 'Invalid configuration:' : `Invalid configuration (${errors.length} errors):`;
    super([heading, ...errors.map((error) => `  ${error.message}`)].join('\n'));
    this.name = 'ConfigErrors';
    this.errors = errors;
  }
}
