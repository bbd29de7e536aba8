import { writeFileAtomic as replace } from '@usrsvc/atomicfile';

/**
 * Writes `text` through @usrsvc/atomicfile, so a reader (node_exporter's textfile collector) sees
 * the old content or the new, never a part; the temporary name is hidden and does not end in
 * .prom, so the collector never reads it.
 */
export function writeFileAtomic(file: string, text: string, mode = 0o644): Promise<void> {
  return replace(file, text, { mode });
}
