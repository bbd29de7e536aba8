import fs from 'node:fs';

export interface CopyTruncateResult {
  bytes: number;
  /**
   * Upper bound, in nanoseconds, of the time between the read that found the end of the file and
   * the truncation: a line written by another process in that window is lost.
   */
  lossWindowNs: number;
}

const CHUNK = 1024 * 1024;

/**
 * Copies `file` to `backup`, then truncates `file` to 0 bytes. Synchronous on purpose: after the
 * bulk copy, the last bytes are read into memory and the truncation follows at once, with no
 * turn of the event loop and no write to the backup in between, so the window in which a
 * writer's line could be lost is a few microseconds (two system calls).
 */
export function copyTruncate(file: string, backup: string): CopyTruncateResult {
  const source = fs.openSync(file, 'r+');
  let target: number | undefined;
  try {
    const { mode } = fs.fstatSync(source);
    target = fs.openSync(backup, 'w', mode & 0o777);
    const buffer = Buffer.allocUnsafe(CHUNK);
    let position = 0;
    // Bulk: while the file is larger than one chunk beyond what we copied.
    for (;;) {
      const bytesRead = fs.readSync(source, buffer, 0, CHUNK, position);
      if (bytesRead < CHUNK) {
        if (bytesRead > 0) fs.writeSync(target, buffer, 0, bytesRead);
        position += bytesRead;
        break;
      }
      fs.writeSync(target, buffer, 0, bytesRead);
      position += bytesRead;
    }
    // Tail: read until EOF into memory, then truncate immediately.
    const tail: Buffer[] = [];
    let windowStart: bigint;
    for (;;) {
      windowStart = process.hrtime.bigint();
      const bytesRead = fs.readSync(source, buffer, 0, CHUNK, position);
      if (bytesRead === 0) break;
      tail.push(Buffer.from(buffer.subarray(0, bytesRead)));
      position += bytesRead;
    }
    fs.ftruncateSync(source, 0);
    const lossWindowNs = Number(process.hrtime.bigint() - windowStart);
    for (const piece of tail) fs.writeSync(target, piece);
    return { bytes: position, lossWindowNs };
  } finally {
    if (target !== undefined) fs.closeSync(target);
    fs.closeSync(source);
  }
}
