import fs from 'node:fs';

/**
 * Writes bytes to fd 1 or 2 with write(2), blocking as the CLI's own output does, and returns the
 * stream still writing the rest, if any. write(2) rather than process.stdout: creating the stream
 * and handing it 400 KB of `--json` costs a status 4-6 ms; the stream takes over only when the fd
 * is non-blocking and full (EAGAIN). A reader that went away (EPIPE) drops the rest.
 */
export function writeAnswer(fd: 1 | 2, bytes: Buffer): NodeJS.WriteStream | undefined {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return undefined;
      if (code !== 'EAGAIN') throw error;
      const stream = fd === 1 ? process.stdout : process.stderr;
      stream.write(bytes.subarray(offset));
      return stream;
    }
  }
  return undefined;
}
