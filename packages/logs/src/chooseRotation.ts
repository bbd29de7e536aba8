import type { FileWriter } from './fileWriters.js';

/**
 * - `rename`: nobody has the file open; moving it away is all it takes.
 * - `rename-and-signal`: the program opened it itself and reopens its files on `reopen_signal`;
 *   lines written between the rename and the reopen land in the backup: none is lost.
 * - `copy-truncate`: every writer has O_APPEND (the launcher's `>>`), so after the truncation its
 *   next write lands at the new end; lines written between the last read and the truncation are lost.
 * - `refuse`: a writer without O_APPEND and no way to make it reopen: truncating would make its
 *   next write land at its old offset, after a hole of NUL bytes.
 */
export type RotationMethod = 'rename' | 'rename-and-signal' | 'copy-truncate' | 'refuse';

/**
 * Standard output or error opened with O_APPEND: what a launcher's `>>` gives (usrsvc's, a shell's);
 * a program does not reopen those on a signal.
 */
const isLauncherStdio = (writer: FileWriter) => writer.fd <= 2 && writer.append;

export function chooseRotation(writers: readonly FileWriter[], hasReopenSignal: boolean): RotationMethod {
  if (writers.length === 0) return 'rename';
  if (hasReopenSignal && !writers.some(isLauncherStdio)) return 'rename-and-signal';
  if (writers.every((writer) => writer.append)) return 'copy-truncate';
  return 'refuse';
}
