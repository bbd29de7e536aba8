import { apiSocketPath } from '@usrsvc/api/socketPath';
import { defaultStateDir } from '@usrsvc/launcher/stateDir';

/**
 * Where the CLI finds usrsvcd's API socket: the rule usrsvcd listens by (its state folder from the
 * same environment). Its own module, light enough for the bin's fast status client to load alone.
 */
export function daemonSocketPath(env: NodeJS.ProcessEnv): string {
  return apiSocketPath(defaultStateDir(env));
}
