import { ConfigErrors, type UsrsvcConfig, readConfig } from '@usrsvc/config';
import type { ConfigReader } from './cachedConfigReader.js';
import { printConfigErrors, printConfigWarnings } from './printConfigErrors.js';
import type { Printer } from './printer.js';

/** Reads the config, printing its warnings; on errors prints every one and returns undefined. */
export function loadConfig(configPath: string | undefined, env: NodeJS.ProcessEnv, printer: Printer, read: ConfigReader = readConfig): UsrsvcConfig | undefined {
  try {
    const config = read(configPath === undefined ? { env } : { path: configPath, env });
    printConfigWarnings(printer, config.warnings);
    return config;
  } catch (error) {
    if (error instanceof ConfigErrors) {
      printConfigErrors(printer, error.errors);
      return undefined;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      printConfigErrors(printer, [{ message: (error as Error).message }]);
      return undefined;
    }
    throw error;
  }
}
