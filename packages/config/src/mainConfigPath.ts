import path from 'node:path';
import type { ReadConfigOptions } from './types.js';

/** Where the main config is: options.path, then $USRSVC_CONFIG, then $HOME/usrsvc.cfg (undefined without HOME). */
export function mainConfigPath(options: Pick<ReadConfigOptions, 'path' | 'env'> = {}): string | undefined {
  const env = options.env ?? process.env;
  const chosen = options.path ?? (env.USRSVC_CONFIG || undefined);
  if (chosen) return path.resolve(chosen);
  return env.HOME ? path.join(env.HOME, 'usrsvc.cfg') : undefined;
}
