import fs from 'node:fs';
import path from 'node:path';
import { bootId } from './bootId.js';
import type { LaunchContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import { readTextIfExists } from './readTextIfExists.js';
import { ensureStateDir, stateFileName } from './stateDir.js';
import { writeFileAtomicSync } from '@usrsvc/atomicfile';

interface StopMark {
  bootId: string;
  stoppedAt: string;
  byPid: number;
}

function markPath(name: string, ctx: LaunchContext | undefined): string {
  const { stateDir, uid } = resolveContext(ctx);
  return path.join(ensureStateDir(stateDir, uid, 'stopped'), stateFileName(name));
}

/** Remembers that the user stopped `name`, until start/restart or the next boot. */
export function markStoppedByUser(name: string, ctx?: LaunchContext): void {
  const file = markPath(name, ctx);
  const mark: StopMark = { bootId: bootId(), stoppedAt: new Date().toISOString(), byPid: process.pid };
  writeFileAtomicSync(file, `${JSON.stringify(mark)}\n`, { mode: 0o600 });
}

export function clearStoppedByUser(name: string, ctx?: LaunchContext): void {
  fs.rmSync(markPath(name, ctx), { force: true });
}

/** True when the user stopped `name` during this boot and has not started it since. */
export function isStoppedByUser(name: string, ctx?: LaunchContext): boolean {
  return userStoppedAt(name, ctx) !== undefined;
}

/**
 * When the user stopped `name` (ms since the epoch), if they did during this boot and have not
 * started it since: the mark's own time, else its file's mtime. It outlives any usrsvcd.
 */
export function userStoppedAt(name: string, ctx?: LaunchContext): number | undefined {
  const file = markPath(name, ctx);
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  let mark: Partial<StopMark>;
  try {
    mark = JSON.parse(text) as Partial<StopMark>;
  } catch {
    return undefined;
  }
  if (mark.bootId !== bootId()) return undefined;
  const at = typeof mark.stoppedAt === 'string' ? Date.parse(mark.stoppedAt) : Number.NaN;
  if (Number.isFinite(at)) return at;
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
