/** Declares one config key: how its text is parsed, its default, and an optional extra check. */
export interface KeySpec {
  /** "path" means an absolute path; "list" is comma-separated. */
  type: 'string' | 'boolean' | 'integer' | 'number' | 'path' | 'list';
  default?: unknown;
  description?: string;
  /** Returns an error message, or undefined when the value is acceptable. */
  validate?(value: unknown): string | undefined;
}
