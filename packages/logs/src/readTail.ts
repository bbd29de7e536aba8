import fs from 'node:fs/promises';
import { LogFileError } from './LogFileError.js';
import { splitLines } from './splitLines.js';

export interface ReadTailOptions {
  /** How many lines (default 20). */
  lines?: number;
  /** Never read before this byte offset (the file's size at a launch); ignored when the file is now smaller. */
  from?: number;
  /** Bytes of the first step backwards from the end (default 8 KiB); each further step doubles, up to 1 MiB. */
  chunkBytes?: number;
  /** Read through this handle of `file`, which stays open (a follower goes on from it). */
  handle?: fs.FileHandle;
}

export interface FileTail {
  file: string;
  /** Whole lines, oldest first. */
  lines: string[];
  /** Text after the last newline (a line being written), or "" . */
  partial: string;
  /** Byte offset just after the last newline: where following continues. */
  position: number;
  /** The file's identity when read, so a follower can tell it was rotated meanwhile. */
  dev: number;
  ino: number;
  /** Lines before the first one returned were left out. */
  truncated: boolean;
}

/**
 * The last lines of a file, read backwards from its end in chunks until enough newlines are seen:
 * the cost depends on the lines asked for, not on the file's size. Throws LogFileError.
 */
export async function readTail(file: string, options: ReadTailOptions = {}): Promise<FileTail> {
  const wanted = options.lines ?? 20;
  let chunkBytes = options.chunkBytes ?? 8 * 1024;
  const handle = options.handle ?? (await openLogFile(file));
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const size = stat.size;
    const floor = options.from !== undefined && options.from <= size ? options.from : 0;
    let start = size;
    let bytes = Buffer.alloc(0);
    let newlines = 0;
    // wanted + 1 newlines: the one before the first wanted line proves that line is whole.
    while (start > floor && newlines <= wanted) {
      const length = Math.min(chunkBytes, start - floor);
      chunkBytes = Math.min(chunkBytes * 2, Math.max(chunkBytes, 1024 * 1024));
      start -= length;
      const chunk = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(chunk, read, length - read, start + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      newlines += countNewlines(chunk.subarray(0, read));
      bytes = Buffer.concat([chunk.subarray(0, read), bytes]);
    }
    const lastNewline = bytes.lastIndexOf(10);
    const whole = lastNewline === -1 ? Buffer.alloc(0) : bytes.subarray(0, lastNewline + 1);
    const partial = lastNewline === -1 ? bytes : bytes.subarray(lastNewline + 1);
    let { lines } = splitLines(whole);
    // A read that stopped mid-file starts mid-line: that first piece is not a whole line.
    if (start > floor && lines.length > 0) lines = lines.slice(1);
    const truncated = start > floor || lines.length > wanted;
    return {
      file,
      lines: wanted === 0 ? [] : lines.slice(-wanted),
      partial: partial.toString('utf8'),
      position: start + whole.length,
      dev: stat.dev,
      ino: stat.ino,
      truncated,
    };
  } catch (error) {
    throw error instanceof LogFileError ? error : new LogFileError(file, error);
  } finally {
    if (!options.handle) await handle.close().catch(() => undefined);
  }
}

/** Opens a log file for reading; throws LogFileError. */
export async function openLogFile(file: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(file, 'r');
  } catch (error) {
    throw new LogFileError(file, error);
  }
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count += 1;
  return count;
}
