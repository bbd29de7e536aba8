import fs from 'node:fs';
import os from 'node:os';
import type { LauncherProgram } from './LauncherProgram.js';

/** `directory` cannot be entered: the start fails (137) naming it. */
export class WorkingDirectoryError extends Error {
  readonly code = 'USRSVC_DIRECTORY';
  constructor(
    readonly directory: string,
    detail: string,
  ) {
    super(`cannot use the directory ${directory}: ${detail}`);
    this.name = 'WorkingDirectoryError';
  }
}

/**
 * Where the program runs: `directory`, else the account's HOME, never the folder the command
 * was typed in (a difference from the original, which inherited the caller's). Checked now, so
 * that both launch paths fail the same way when it is missing or not enterable.
 */
export function workingDirectory(program: Partial<Pick<LauncherProgram, 'directory'>>, env: NodeJS.ProcessEnv): string {
  const directory = program.directory ?? (env.HOME || os.homedir());
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(directory);
    if (!stat.isDirectory()) throw new WorkingDirectoryError(directory, 'not a directory');
    fs.accessSync(directory, fs.constants.X_OK);
  } catch (error) {
    if (error instanceof WorkingDirectoryError) throw error;
    const { code } = error as NodeJS.ErrnoException;
    throw new WorkingDirectoryError(directory, code === 'ENOENT' ? 'it does not exist' : `${code ?? (error as Error).message}`);
  }
  return directory;
}
