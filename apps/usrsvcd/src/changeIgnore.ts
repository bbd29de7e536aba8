import path from 'node:path';
import { compileGlob } from '@usrsvc/config';

/** Whether a changed path under a watched root is to be left alone. */
export type ChangeIgnore = (file: string, root: string) => boolean;

/**
 * restart_on_change_ignore, compiled. A glob with no "/" is matched against each name on the way
 * from the root (`node_modules`, `*.pyc`); one starting with "/" against the absolute path; any other
 * against the path relative to the watched root (`**` + "/.git/**", `build/**`). A folder that is
 * ignored takes everything below it along. `always`: exact paths never counted (the program's own
 * log files and pidfile, which it writes itself).
 */
export function changeIgnore(globs: readonly string[], always: readonly string[] = []): ChangeIgnore {
  const byName: RegExp[] = [];
  const relative: RegExp[] = [];
  const absolute: RegExp[] = [];
  for (const glob of globs) {
    const regex = compileGlob(glob);
    if (glob.startsWith('/')) absolute.push(regex);
    else if (glob.includes('/')) relative.push(regex);
    else byName.push(regex);
  }
  const exact = new Set(always);
  return (file, root) => {
    if (exact.has(file)) return true;
    const rel = path.relative(root, file);
    if (rel === '' || rel.startsWith('..')) return false;
    const names = rel.split('/');
    for (let end = names.length; end > 0; end--) {
      const part = names.slice(0, end).join('/');
      if (byName.some((regex) => regex.test(names[end - 1]!))) return true;
      if (relative.some((regex) => regex.test(part))) return true;
      if (absolute.length > 0 && absolute.some((regex) => regex.test(path.join(root, part)))) return true;
    }
    return false;
  };
}
