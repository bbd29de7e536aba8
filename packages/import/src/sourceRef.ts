import type { SourceRef } from './types.js';

/** "file:line key", as the report shows a source setting. */
export function describeSourceRef(ref: SourceRef): string {
  return `${ref.file}${ref.line === undefined ? '' : `:${ref.line}`} ${ref.key}`;
}
