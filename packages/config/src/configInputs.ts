import fs from 'node:fs';
import { listConfigDir } from './listConfigDir.js';

/**
 * What a readConfig result was made from, besides its options and environment: each file read
 * (stamped before it was read), the config_dir listing, and whether each folder a setting names
 * exists. Pass an empty array as ReadConfigOptions.inputs to have it filled.
 */
export type ConfigInput =
  | { kind: 'file'; path: string; stamp: string; changedAtMs: number }
  | { kind: 'listing'; path: string; files: string[] | string }
  | { kind: 'folder'; path: string; exists: boolean };

/** Device, inode, size, mtime and ctime (ns), or "missing": a file rewritten, replaced or touched stamps differently. */
export function fileStamp(file: string): { stamp: string; changedAtMs: number } {
  const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!stat) return { stamp: 'missing', changedAtMs: 0 };
  const changedAtMs = Number((stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs) / 1_000_000n);
  return { stamp: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`, changedAtMs };
}

export function listingOf(folder: string): string[] | string {
  try {
    return listConfigDir(folder);
  } catch (error) {
    return (error as Error).message;
  }
}

export function folderExists(folder: string): boolean {
  return fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * Whether readConfig would read the same from these inputs now. A file changed within the last
 * `settleMs` is never taken as unchanged: its timestamps' granularity (a kernel tick) could hide a
 * second write of the same size.
 */
export function configInputsUnchanged(inputs: readonly ConfigInput[], now = Date.now(), settleMs = 2_000): boolean {
  for (const input of inputs) {
    if (input.kind === 'file') {
      if (now - input.changedAtMs < settleMs || fileStamp(input.path).stamp !== input.stamp) return false;
    } else if (input.kind === 'listing') {
      const files = listingOf(input.path);
      if (typeof files === 'string' || typeof input.files === 'string' ? files !== input.files : files.join('\n') !== input.files.join('\n')) return false;
    } else if (folderExists(input.path) !== input.exists) return false;
  }
  return true;
}
