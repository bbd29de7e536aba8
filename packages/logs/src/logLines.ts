import { followFile } from './followFile.js';
import { LogFileError } from './LogFileError.js';
import { mergeAsync } from './mergeAsync.js';
import type fs from 'node:fs/promises';
import { type FileTail, openLogFile, readTail } from './readTail.js';

export type LogStream = 'stdout' | 'stderr' | 'both';

/** One file to read: a program's stdout, its stderr, or both when they share one file. */
export interface LogSource {
  program: string;
  stream: LogStream;
  file: string;
}

export interface LogLine {
  program: string;
  stream: LogStream;
  line: string;
}

export interface LogLinesOptions {
  /** Last lines of each source first (default 20; 0 for none). */
  lines?: number;
  /** Then keep yielding new lines, across rotation and truncation, until `signal` aborts. */
  follow?: boolean;
  signal?: AbortSignal;
  /** A source that cannot be read: called and skipped. Without it, the iteration throws the LogFileError. */
  onError?(source: LogSource, error: LogFileError): void;
  /** Longest wait between checks when inotify reports nothing (default 1000 ms). */
  pollMs?: number;
}

/**
 * The last lines of each source, one source after the other, then (with `follow`) every new line
 * of any source as it is written: the shape of `usrsvc logs` and of the API's logs endpoint.
 */
export async function* logLines(sources: LogSource[], options: LogLinesOptions = {}): AsyncGenerator<LogLine> {
  // A follower goes on through the handle its tail was read from, so a rotation in between loses nothing.
  const followed = new Map<LogSource, { tail: FileTail; handle: fs.FileHandle }>();
  try {
    for (const source of sources) {
      let handle: fs.FileHandle | undefined;
      try {
        handle = options.follow ? await openLogFile(source.file) : undefined;
        const tail = await readTail(source.file, { lines: options.lines ?? 20, handle });
        if (handle) followed.set(source, { tail, handle });
        for (const line of tail.lines) yield { program: source.program, stream: source.stream, line };
        if (!options.follow && tail.partial !== '') yield { program: source.program, stream: source.stream, line: tail.partial };
      } catch (error) {
        if (handle && !followed.has(source)) await handle.close().catch(() => undefined);
        if (!(error instanceof LogFileError) || !options.onError) throw error;
        options.onError(source, error);
      }
    }
    if (!options.follow || options.signal?.aborted) return;
    // Stopping early (a consumer's break) must end the followers at once, not at their next poll.
    const stop = new AbortController();
    const abort = () => stop.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const followers = [...followed].map(([source, { tail, handle }]) =>
        labelled(source, tail, handle, { ...options, signal: stop.signal }),
      );
      const merged = mergeAsync(followers);
      // The merge starts every follower at its first step, and each follower closes its handle from then on.
      followed.clear();
      yield* merged;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      stop.abort();
    }
  } finally {
    // Handles no follower took over: the consumer stopped while the tails were read, or a source failed.
    for (const { handle } of followed.values()) await handle.close().catch(() => undefined);
  }
}

async function* labelled(source: LogSource, tail: FileTail, handle: fs.FileHandle, options: LogLinesOptions): AsyncGenerator<LogLine> {
  const follow = followFile(source.file, {
    handle,
    position: tail.position,
    dev: tail.dev,
    ino: tail.ino,
    signal: options.signal,
    pollMs: options.pollMs,
  });
  for await (const line of follow) yield { program: source.program, stream: source.stream, line };
}

/** The sources of one program: one when stderr goes to the stdout file. */
export function programLogSources(
  program: { name: string; stdout: string; stderr: string },
  streams: 'stdout' | 'stderr' | 'both' = 'both',
): LogSource[] {
  if (program.stderr === program.stdout) return [{ program: program.name, stream: 'both', file: program.stdout }];
  const sources: LogSource[] = [];
  if (streams !== 'stderr') sources.push({ program: program.name, stream: 'stdout', file: program.stdout });
  if (streams !== 'stdout') sources.push({ program: program.name, stream: 'stderr', file: program.stderr });
  return sources;
}
