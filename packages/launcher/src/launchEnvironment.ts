import type { LauncherProgram } from './LauncherProgram.js';

/**
 * The program's environment. inherit_env (default) starts from ours, then [[Env]] on top; with
 * inherit_env=false the program gets [[Env]] only, no PATH or HOME kept, as the original
 * (`env = {}; env.update(Env)`). The command is then looked up in the shell's default path.
 */
export function launchEnvironment(program: Pick<LauncherProgram, 'inheritEnv' | 'env'>, ours: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return program.inheritEnv ? { ...ours, ...program.env } : { ...program.env };
}
