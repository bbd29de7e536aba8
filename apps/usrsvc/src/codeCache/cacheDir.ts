import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder for usrsvc's V8 code cache: $XDG_CACHE_HOME/usrsvc, else ~/.cache/usrsvc (a relative
 * XDG_CACHE_HOME is ignored, as the XDG spec says); undefined when neither is an absolute path or
 * USRSVC_NO_CODE_CACHE is set.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.USRSVC_NO_CODE_CACHE) return undefined;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'usrsvc');
  const home = env.HOME;
  if (home && path.isAbsolute(home)) return path.join(home, '.cache', 'usrsvc');
  return undefined;
}

/** Owned by this user and writable by no one else: a folder or file whose contents we may trust. */
export function isOurs(stat: fs.Stats, euid: number): boolean {
  return stat.uid === euid && (stat.mode & 0o022) === 0;
}

/**
 * Creates the cache folder (0700) when missing, but only below a folder this user owns: root
 * running with a user's HOME writes nothing into that user's home. Returns whether the folder is
 * there and ours.
 */
export function ensureCacheDir(dir: string, euid: number): boolean {
  let existing = dir;
  const missing: string[] = [];
  for (;;) {
    try {
      const stat = fs.statSync(existing);
      if (existing === dir) return stat.isDirectory() && isOurs(stat, euid);
      if (!stat.isDirectory() || stat.uid !== euid) return false;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      const parent = path.dirname(existing);
      if (parent === existing) return false;
      missing.push(existing);
      existing = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
  }
  try {
    return isOurs(fs.statSync(dir), euid);
  } catch {
    return false;
  }
}
