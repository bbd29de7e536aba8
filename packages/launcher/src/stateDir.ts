import fs from 'node:fs';
import path from 'node:path';
import { UnsafeStateDirError } from './errors.js';

/** `$XDG_RUNTIME_DIR/usrsvc` when set, else `$HOME/.local/state/usrsvc`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'usrsvc');
  const home = env.HOME;
  if (!home) throw new UnsafeStateDirError('$HOME/.local/state/usrsvc', 'neither XDG_RUNTIME_DIR nor HOME is set');
  return path.join(home, '.local', 'state', 'usrsvc');
}

const verified = new Set<string>();

/**
 * Creates `dir/sub` (mode 0700) and checks that `dir` is a real folder owned by `uid` that no one
 * else can enter; an over-permissive folder of ours is tightened to 0700. Returns `dir/sub`.
 */
export function ensureStateDir(dir: string, uid: number, sub?: string): string {
  if (!verified.has(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) throw new UnsafeStateDirError(dir, 'not a folder (a symlink or a file)');
    if (stat.uid !== uid) throw new UnsafeStateDirError(dir, `owned by uid ${stat.uid}, not ${uid}`);
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    verified.add(dir);
  }
  if (sub === undefined) return dir;
  const full = path.join(dir, sub);
  fs.mkdirSync(full, { recursive: true, mode: 0o700 });
  return full;
}

/**
 * A program name as one safe file name ("a/b" and ".." cannot escape the folder); the "@" of an
 * instance (web@2) is kept, so that its files read locks/web@2.lock.
 */
export function stateFileName(programName: string): string {
  return encodeURIComponent(programName).replace(/^\./, '%2E').replaceAll('%40', '@');
}
