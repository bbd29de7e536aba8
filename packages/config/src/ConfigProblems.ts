import { ConfigError, type ConfigErrorContext } from './ConfigError.js';
import type { ConfigEntry } from './parseConfigobj.js';
import type { ConfigWarning } from './types.js';

/**
 * Collects every error and warning of one read. A value inherited from a DefaultSettings is
 * checked once per program that uses it: the same problem at the same place is kept once.
 */
export class ConfigProblems {
  readonly errors: ConfigError[] = [];
  readonly warnings: ConfigWarning[] = [];
  private readonly seen = new Set<string>();

  error(detail: string, context: ConfigErrorContext): void {
    this.add(new ConfigError(detail, context));
  }

  /** An error about one key, located where the key was written. */
  entryError(entry: ConfigEntry, detail: string, hint?: string): void {
    this.error(detail, {
      file: entry.file,
      line: entry.line,
      section: entry.section,
      key: entry.key,
      ...(hint === undefined ? {} : { hint }),
    });
  }

  warn(warning: ConfigWarning): void {
    const id = `W\0${warning.file}\0${warning.line}\0${warning.key}\0${warning.message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.warnings.push(warning);
  }

  addAll(errors: readonly ConfigError[]): void {
    for (const error of errors) this.add(error);
  }

  private add(error: ConfigError): void {
    const id = `E\0${error.file}\0${error.line}\0${error.key}\0${error.detail}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.errors.push(error);
  }
}
