import fs from 'node:fs/promises';
import type { StderrTail } from './types.js';

export interface ReadStderrTailOptions {
  maxLines?: number;
  maxBytes?: number;
  /** Read nothing before this offset (the file's size when the failed launch began); ignored if the file is now smaller. */
  from?: number;
}

/**
 * Reads the last lines of a file from its end: at most maxBytes are read, whatever the file's size.
 * Never throws; an unreadable file gives no lines and an `error`.
 */
export async function readStderrTail(file: string, options: ReadStderrTailOptions = {}): Promise<StderrTail> {
  const maxLines = options.maxLines ?? 20;
  const maxBytes = options.maxBytes ?? 8192;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const { size } = await handle.stat();
    const floor = options.from !== undefined && options.from <= size ? options.from : 0;
    const length = Math.min(size - floor, maxBytes);
    const start = size - length;
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    let lines = buffer.subarray(0, read).toString('utf8').split(/\r?\n/);
    // A read that starts mid-file starts mid-line: that first piece is not a whole line.
    if (start > floor) lines = lines.slice(1);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const truncated = start > floor || lines.length > maxLines;
    return { file, lines: lines.slice(-maxLines), truncated };
  } catch (error) {
    return { file, lines: [], truncated: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
