import fs from 'node:fs/promises';
import { followFileEvents } from '@usrsvc/logs';

export interface LogFollowOptions {
  signal: AbortSignal;
  /** How much of the end of the file comes first (supervisord's tail_f_producer: 1024 bytes). */
  headBytes?: number;
  pollMs?: number;
}

/**
 * The text of /logtail/NAME/stdout and /mainlogtail: the last headBytes of the file, then what
 * is written to it, across rotation and truncation (supervisord says "==> File truncated <==").
 */
export async function* followLogBytes(file: string, options: LogFollowOptions): AsyncGenerator<string> {
  // The follower goes on through this handle, so a rotation before it starts loses nothing.
  const handle = await fs.open(file, 'r').catch(() => undefined);
  const position = handle ? Math.max(0, (await handle.stat()).size - (options.headBytes ?? 1024)) : undefined;
  const events = followFileEvents(file, { handle, position, signal: options.signal, pollMs: options.pollMs ?? 250, chunkBytes: 16 * 1024 });
  for await (const event of events) {
    if (event.kind === 'line') yield `${event.line}\n`;
    else if (event.kind === 'truncated') yield '==> File truncated <==\n';
  }
}
