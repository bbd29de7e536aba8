import fs from 'node:fs';

/**
 * How the intermediate shell keeps SIGINT/SIGQUIT at their defaults for the program it puts in
 * the background. A non-interactive POSIX shell starts background jobs with both IGNORED, and an
 * ignored disposition survives exec, so a service would ignore Ctrl-C / SIGINT forever.
 * dash (Debian's /bin/sh) refuses `set -m` without a terminal ("can't access tty"), and
 * `trap - INT` cannot undo it, so:
 * - 'env': /bin/sh with GNU env's --default-signal (coreutils >= 8.31) in front of the program;
 * - 'bash-monitor': bash with `set -m`, whose background jobs keep default signals even without a
 *   terminal (each in its own process group); bash adds SHLVL and _ to the program's environment;
 * - 'none': the program will ignore SIGINT and SIGQUIT (a warning is logged).
 */
export type SignalReset =
  | { kind: 'env'; shell: string; prefix: string }
  | { kind: 'bash-monitor'; shell: string; prefix: '' }
  | { kind: 'none'; shell: string; prefix: '' };

let cached: SignalReset | undefined;

const RESET_FLAG = '--default-signal=INT,QUIT';

/** True for our own `env --default-signal=...` wrapper in the instant before it execs the program. */
export function isSignalResetWrapper(argv: readonly string[]): boolean {
  return argv[1] === RESET_FLAG && /(^|\/)env$/.test(argv[0] ?? '');
}

export function signalReset(): SignalReset {
  cached ??= detectSignalReset();
  return cached;
}

function detectSignalReset(): SignalReset {
  const env = ['/usr/bin/env', '/bin/env'].find(isExecutable);
  if (env && process.getBuiltinModule('node:child_process').spawnSync(env, [RESET_FLAG, 'true'], { stdio: 'ignore' }).status === 0) {
    return { kind: 'env', shell: '/bin/sh', prefix: `${env} ${RESET_FLAG} ` };
  }
  const bash = ['/bin/bash', '/usr/bin/bash'].find(isExecutable);
  if (bash) return { kind: 'bash-monitor', shell: bash, prefix: '' };
  return { kind: 'none', shell: '/bin/sh', prefix: '' };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
