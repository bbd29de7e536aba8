import fs from 'node:fs';
import { releaseTemporaryPath, reserveTemporaryPath } from './temporaryPath.js';

export interface WriteFileAtomicOptions {
  /** Mode of the new file (default 0o644, before the umask). */
  mode?: number;
}

/**
 * Writes `data` to a temporary file beside `file`, then renames it over `file`: a reader sees the
 * old content or the new, never a part. On any failure the temporary file is removed and the
 * error thrown; `file` is then unchanged.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, { mode = 0o644 }: WriteFileAtomicOptions = {}): void {
  const temporary = reserveTemporaryPath(file);
  try {
    fs.writeFileSync(temporary, data, { mode });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  } finally {
    releaseTemporaryPath(temporary);
  }
}

/** writeFileAtomicSync without blocking the event loop. */
export function writeFileAtomic(file: string, data: string | Uint8Array, { mode = 0o644 }: WriteFileAtomicOptions = {}): Promise<void> {
  return replaceFileAtomic(file, (temporary) => fs.promises.writeFile(temporary, data, { mode }));
}

/**
 * For content written by a stream or a tool: `write` fills the temporary path it is given, which
 * is then renamed over `file`; removed when `write` or the rename fails.
 */
export async function replaceFileAtomic(file: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = reserveTemporaryPath(file);
  try {
    await write(temporary);
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  } finally {
    releaseTemporaryPath(temporary);
  }
}
