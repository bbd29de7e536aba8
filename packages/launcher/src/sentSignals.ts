import fs from 'node:fs';
import path from 'node:path';
import type { ProcessIdentity } from '@usrsvc/procscan';
import { type LaunchContext, type ResolvedContext, resolveContext } from './LaunchContext.js';
import { ensureStateDir, stateFileName } from './stateDir.js';

/** A signal usrsvc sent to a program's main process (`usrsvc signal`, `usrsvc reload`). */
export interface SentSignal extends ProcessIdentity {
  signal: NodeJS.Signals;
  at: number;
}

function signalFile(name: string, ctx: ResolvedContext): string {
  return path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'signals'), `${stateFileName(name)}.json`);
}

/** Remembers the last signal sent, so that usrsvcd can tell "killed by a signal usrsvc sent" from a crash. */
export function recordSentSignal(name: string, ctx: ResolvedContext, sent: SentSignal): void {
  fs.writeFileSync(signalFile(name, ctx), JSON.stringify(sent), { mode: 0o600 });
}

/** The last signal usrsvc sent to `target` (same PID and start time), if any. */
export function sentSignalTo(name: string, ctx: LaunchContext, target: ProcessIdentity): SentSignal | undefined {
  try {
    const sent = JSON.parse(fs.readFileSync(signalFile(name, resolveContext(ctx)), 'utf8')) as SentSignal;
    return sent.pid === target.pid && sent.startTicks === target.startTicks ? sent : undefined;
  } catch {
    return undefined;
  }
}
