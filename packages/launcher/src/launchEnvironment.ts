import { readEnvFiles } from './envFiles.js';
import { INHERITED_NOFILE_ENV } from './inheritedLimits.js';
import type { LauncherProgram } from './LauncherProgram.js';

/**
 * The program's environment. inherit_env (default) starts from `base` (the caller's environment,
 * or the one the program's previous run was started with), then the env files (read now, later
 * files winning), then [[Env]] on top; with inherit_env=false the program gets the env files and
 * [[Env]] only, no PATH or HOME kept, as the original (`env = {}; env.update(Env)`). The command
 * is then looked up in the shell's default path. Throws EnvFileError for a missing or broken file.
 */
export function launchEnvironment(
  program: Pick<LauncherProgram, 'inheritEnv' | 'env'> & { envFiles?: readonly string[] | undefined },
  base: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const fromFiles = program.envFiles?.length ? readEnvFiles(program.envFiles) : {};
  const env: NodeJS.ProcessEnv = program.inheritEnv ? { ...base, ...fromFiles, ...program.env } : { ...fromFiles, ...program.env };
  delete env[INHERITED_NOFILE_ENV];
  return env;
}
