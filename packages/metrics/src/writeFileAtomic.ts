import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `text` to a temporary file in the same folder, then renames it over `file`, so a reader
 * (node_exporter's textfile collector) sees the old content or the new, never a part. The temporary
 * name starts with a dot and does not end in .prom, so the collector never reads it.
 */
export async function writeFileAtomic(file: string, text: string, mode = 0o644): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await fs.writeFile(temporary, text, { mode });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
