import fs from 'node:fs';
import { DotenvSyntaxError, parseDotenv } from '@usrsvc/config';

/** An env file could not be read or parsed: the start fails (137). The message never holds a value. */
export class EnvFileError extends Error {
  readonly code = 'USRSVC_ENV_FILE';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`env_file ${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'EnvFileError';
  }
}

/** The variables of `files`, read now, in order: a later file wins over an earlier one. */
export function readEnvFiles(files: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      throw new EnvFileError(file, undefined, code === 'ENOENT' ? 'the file does not exist' : `cannot read it (${code ?? (error as Error).message})`);
    }
    try {
      for (const entry of parseDotenv(text, file)) values[entry.key] = entry.value;
    } catch (error) {
      if (error instanceof DotenvSyntaxError) throw new EnvFileError(file, error.line, error.detail);
      throw error;
    }
  }
  return values;
}
