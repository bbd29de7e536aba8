import fs from 'node:fs';
import path from 'node:path';

/** The *.cfg files of config_dir, sorted by name; throws an Error whose message says what is wrong. */
export function listConfigDir(folder: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`config_dir ${folder} does not exist`);
    if (code === 'ENOTDIR') throw new Error(`config_dir ${folder} is not a folder`);
    if (code === 'EACCES') throw new Error(`config_dir ${folder} cannot be read (permission denied)`);
    throw new Error(`config_dir ${folder} cannot be read: ${(error as Error).message}`);
  }
  return entries
    .filter((entry) => entry.name.endsWith('.cfg') && isFile(folder, entry))
    .map((entry) => entry.name)
    .sort()
    .map((name) => path.join(folder, name));
}

function isFile(folder: string, entry: fs.Dirent): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  return fs.statSync(path.join(folder, entry.name), { throwIfNoEntry: false })?.isFile() ?? false;
}
