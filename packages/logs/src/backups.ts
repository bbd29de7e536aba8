import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { replaceFileAtomic } from '@usrsvc/atomicfile';

/** `file.N`, or `file.N.gz` when compressed: the names logrotate and supervisord use. */
export function backupName(file: string, index: number, compressed = false): string {
  return `${file}.${index}${compressed ? '.gz' : ''}`;
}

/**
 * Makes room for a new `file.1`: `file.N` becomes `file.N+1` (compressed or not), and what would
 * go past `keep` is deleted. With keep 0 every backup is deleted.
 */
export function shiftBackups(file: string, keep: number): void {
  for (const compressed of [false, true]) {
    for (let index = Math.max(keep, 1); ; index += 1) {
      const name = backupName(file, index, compressed);
      if (!fs.existsSync(name) && index > keep) break;
      if (index >= keep) fs.rmSync(name, { force: true });
    }
  }
  for (let index = keep - 1; index >= 1; index -= 1) {
    for (const compressed of [false, true]) {
      const from = backupName(file, index, compressed);
      if (fs.existsSync(from)) fs.renameSync(from, backupName(file, index + 1, compressed));
    }
  }
}

/** Gzips `file` to `file.gz` (same mode), then removes `file`. */
export async function compressFile(file: string): Promise<string> {
  const target = `${file}.gz`;
  const { mode } = fs.statSync(file);
  await replaceFileAtomic(target, (temporary) =>
    pipeline(fs.createReadStream(file), zlib.createGzip(), fs.createWriteStream(temporary, { mode: mode & 0o777 })),
  );
  fs.rmSync(file, { force: true });
  return target;
}
