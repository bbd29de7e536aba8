import fs from 'node:fs';
import path from 'node:path';

/**
 * Where `execvp` would find `command` with this PATH: the command itself when it names a path,
 * else the first executable regular file in an absolute PATH folder. Undefined when there is
 * none (or PATH is unset): the caller then leaves the search, and its error, to a shell.
 */
export function resolveExecutable(command: string, searchPath: string | undefined): string | undefined {
  if (command.includes('/')) return command;
  if (!searchPath || command === '') return undefined;
  for (const folder of searchPath.split(':')) {
    if (!path.isAbsolute(folder)) continue;
    const candidate = path.join(folder, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
