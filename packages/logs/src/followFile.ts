import fs from 'node:fs/promises';
import { ChangeSignal } from './changeSignal.js';
import { splitLines } from './splitLines.js';

export interface FollowOptions {
  /** Byte offset to start at (FileTail.position); default the file's current end. */
  position?: number;
  /** The identity the position belongs to (FileTail.dev/ino): another file there is read from its start. */
  dev?: number;
  ino?: number;
  /**
   * The file already open, as a tail read it: followed from `position` and closed by the follower.
   * A rotation between reading the tail and following then loses none of the old file's lines.
   */
  handle?: fs.FileHandle;
  /** Stops following; the iteration then ends. */
  signal?: AbortSignal;
  /** Longest wait between checks when no change is reported by inotify (default 1000 ms). */
  pollMs?: number;
  /** Bytes read at once (default 256 KiB). */
  chunkBytes?: number;
}

/** What a follower reports besides lines. */
export type FollowEvent = { kind: 'line'; line: string } | { kind: 'rotated' } | { kind: 'truncated' };

interface Opened {
  handle: fs.FileHandle;
  dev: number;
  ino: number;
}

/**
 * Follows a file by name, as `tail -F`: yields each new whole line; when the file is replaced
 * (rotated by rename: another inode at the path) it reads what is left of the old one, then the
 * new one from its start; when it shrinks (copy-truncate) it goes on from the new start. A missing
 * file is waited for. Ends when `signal` aborts.
 */
export async function* followFileEvents(file: string, options: FollowOptions = {}): AsyncGenerator<FollowEvent> {
  const signal = options.signal;
  const chunk = Buffer.alloc(options.chunkBytes ?? 256 * 1024);
  let changes: ChangeSignal | undefined;
  let current: Opened | undefined;
  let position = 0;
  let rest: Buffer = Buffer.alloc(0);
  try {
    changes = new ChangeSignal(file, options.pollMs ?? 1000);
    current = options.handle ? await identified(options.handle) : await openIdentified(file);
    if (current) {
      const sameFile = options.ino === undefined || (options.ino === current.ino && options.dev === current.dev);
      const size = (await current.handle.stat()).size;
      position = sameFile ? Math.min(options.position ?? size, size) : 0;
    }
    // Reads what the open file got since the last read; true when there was something.
    async function* drain(file: Opened): AsyncGenerator<FollowEvent, boolean> {
      let progressed = false;
      for (;;) {
        const { bytesRead } = await file.handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) return progressed;
        progressed = true;
        position += bytesRead;
        const split = splitLines(Buffer.concat([rest, chunk.subarray(0, bytesRead)]));
        rest = Buffer.from(split.rest);
        for (const line of split.lines) yield { kind: 'line', line };
        if (signal?.aborted) return progressed;
      }
    }
    while (!signal?.aborted) {
      let progressed = false;
      if (current) {
        const size = (await current.handle.stat()).size;
        if (size < position) {
          position = 0;
          rest = Buffer.alloc(0);
          yield { kind: 'truncated' };
        }
        progressed = yield* drain(current);
      }
      const now = await fs.stat(file).catch(() => undefined);
      const replaced = now !== undefined && (!current || now.ino !== current.ino || now.dev !== current.dev);
      if (replaced) {
        if (current) {
          // What the old file got between our last read and the rename; a partial last line is kept whole.
          yield* drain(current);
          if (rest.length > 0) yield { kind: 'line', line: rest.toString('utf8') };
          await current.handle.close().catch(() => undefined);
        }
        const hadFile = current !== undefined;
        current = await openIdentified(file);
        position = 0;
        rest = Buffer.alloc(0);
        if (hadFile) yield { kind: 'rotated' };
        continue;
      }
      if (!progressed) await changes.wait(signal);
    }
  } finally {
    changes?.close();
    await (current?.handle ?? options.handle)?.close().catch(() => undefined);
  }
}

/** The lines of followFileEvents only. */
export async function* followFile(file: string, options: FollowOptions = {}): AsyncGenerator<string> {
  for await (const event of followFileEvents(file, options)) if (event.kind === 'line') yield event.line;
}

async function openIdentified(file: string): Promise<Opened | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  return identified(handle);
}

async function identified(handle: fs.FileHandle): Promise<Opened> {
  const stat = await handle.stat();
  return { handle, dev: stat.dev, ino: stat.ino };
}
