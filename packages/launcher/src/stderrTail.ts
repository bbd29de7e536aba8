import fs from 'node:fs';

/** The file's size now (0 when it does not exist yet): remember it at a launch, pass it to stderrTail. */
export function fileSizeNow(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * The last `lines` lines of a file (reading at most its last 16 kB), written after byte offset
 * `from` (the file's size at this launch), so that earlier attempts' lines are not repeated; a file
 * now smaller than `from` was rotated or truncated and is read from its start. [] when unreadable.
 */
export function stderrTail(file: string, lines = 10, from = 0): string[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const floor = from <= size ? from : 0;
    const length = Math.min(size - floor, 16 * 1024);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\n+$/, '');
    return text === '' ? [] : text.split('\n').slice(-lines);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
