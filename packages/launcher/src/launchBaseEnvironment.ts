import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedContext } from './LaunchContext.js';
import { readTextIfExists } from './readTextIfExists.js';
import { ensureStateDir, stateFileName } from './stateDir.js';

/**
 * The environment a program's last run was started with, before env files and [[Env]]: kept in
 * the state folder (env/<program>.json, mode 0600 in a 0700 folder) so that a restart by usrsvcd
 * after a crash gives the program what `usrsvc start` gave it, not usrsvcd's own environment.
 */
function baseFile(name: string, ctx: ResolvedContext): string {
  return path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'env'), `${stateFileName(name)}.json`);
}

export function recordLaunchBase(name: string, ctx: ResolvedContext, base: NodeJS.ProcessEnv): void {
  const file = baseFile(name, ctx);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(base), { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** recordLaunchBase off the event loop (see writeLaunchRecordAsync). */
export async function recordLaunchBaseAsync(name: string, ctx: ResolvedContext, base: NodeJS.ProcessEnv): Promise<void> {
  const file = baseFile(name, ctx);
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, JSON.stringify(base), { mode: 0o600 });
  await fs.promises.rename(temporary, file);
}

/** The recorded environment, or undefined when no run of the program was started by usrsvc. */
export function readLaunchBase(name: string, ctx: ResolvedContext): NodeJS.ProcessEnv | undefined {
  const text = readTextIfExists(baseFile(name, ctx));
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const env: NodeJS.ProcessEnv = {};
    for (const [key, text] of Object.entries(value)) if (typeof text === 'string') env[key] = text;
    return env;
  } catch {
    return undefined;
  }
}
