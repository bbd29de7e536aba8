import fs from 'node:fs';
import path from 'node:path';

/** Where "auto" looks first, as the original did; then each PATH entry. */
export const STANDARD_SENDMAIL_PATHS: readonly string[] = ['/usr/sbin/sendmail', '/usr/bin/sendmail'];

export interface FindSendmailOptions {
  /** Checked before PATH when the setting is "auto" (default STANDARD_SENDMAIL_PATHS). */
  standardPaths?: readonly string[];
}

/**
 * Resolves `[Main] sendmail_path`: "auto" (or unset) searches the standard places then PATH;
 * an absolute path is used when it is an executable file. Returns undefined when nothing fits.
 */
export function findSendmail(
  pathSetting: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  options: FindSendmailOptions = {},
): string | undefined {
  const setting = pathSetting?.trim() ?? '';
  if (setting !== '' && setting.toLowerCase() !== 'auto') {
    return isExecutableFile(setting) ? setting : undefined;
  }
  const searchPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && path.isAbsolute(dir))
    .map((dir) => path.join(dir, 'sendmail'));
  for (const candidate of [...(options.standardPaths ?? STANDARD_SENDMAIL_PATHS), ...searchPath]) {
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
