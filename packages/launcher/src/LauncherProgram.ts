import type { ProgramConfig } from '@usrsvc/config';

/**
 * The fields of a ProgramConfig that the launcher reads: pass a ProgramConfig, or (in tests) an
 * object with just these (test-support/programConfig.ts).
 */
export type LauncherProgram = Pick<
  ProgramConfig,
  | 'name'
  | 'command'
  | 'argv'
  | 'useShell'
  | 'pidfile'
  | 'enabled'
  | 'autoPid'
  | 'scanForProcess'
  | 'proctitleRe'
  | 'successSeconds'
  | 'termToKillSeconds'
  | 'stdout'
  | 'stderr'
  | 'inheritEnv'
  | 'env'
> &
  /** Optional for programs written by hand: SIGTERM and false. */
  Partial<Pick<ProgramConfig, 'stopSignal' | 'stopAsGroup'>> &
  /** Optional too: the launch settings (default: HOME, no env files, inherited limits) and reload_signal. */
  Partial<Pick<ProgramConfig, 'directory' | 'envFiles' | 'umask' | 'nice' | 'limits' | 'reloadSignal'>> &
  /** Optional too: no ready_check, and its defaults (1 s, 5 s, 60 s, 200-399). */
  Partial<
    Pick<ProgramConfig, 'readyCheck' | 'readyCheckStatus' | 'readyCheckInterval' | 'readyCheckTimeout' | 'readyTimeout' | 'watchdogSeconds'>
  >;
