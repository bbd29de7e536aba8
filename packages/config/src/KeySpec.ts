/** Declares one config key: how its text is parsed, its default, and an optional extra check. */
export interface KeySpec {
  /** "path" means an absolute path; "list" is comma-separated; "size" is bytes, with units (50MB, 1GB). */
  type: 'string' | 'boolean' | 'integer' | 'number' | 'path' | 'list' | 'size';
  default?: unknown;
  description?: string;
  /** Returns an error message, or undefined when the value is acceptable. */
  validate?(value: unknown): string | undefined;
}
