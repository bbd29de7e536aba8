import fs from 'node:fs';
import path from 'node:path';
import { bootId } from './bootId.js';
import type { LaunchContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
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
  let mark: Partial<StopMark>;
  try {
    mark = JSON.parse(fs.readFileSync(markPath(name, ctx), 'utf8')) as Partial<StopMark>;
  } catch {
    return false;
  }
  return mark.bootId === bootId();
}
