import { spawn } from 'node:child_process';
import { signalReset } from './signalReset.js';

export interface DetachedLaunch {
  /** Program argv, run without any shell parsing; or a command string for /bin/sh -c. */
  command: { argv: string[] } | { shellCommand: string };
  stdout: string;
  /** Same path as stdout: one shared file descriptor, as the original. */
  stderr: string;
  /** The program's whole environment. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export class LaunchError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'LaunchError';
  }
}

/**
 * Starts a program whose parent is init (or the nearest subreaper), never this process: a
 * short-lived /bin/sh, in a session of its own, puts the program in the background with stdin
 * from /dev/null and stdout/stderr appended to their files, prints its PID and exits, so the
 * program is orphaned and reparented at once. Resolves with the program's PID.
 */
export function spawnDetached(launch: DetachedLaunch): Promise<number> {
  const reset = signalReset();
  const stderrRedirect = launch.stderr === launch.stdout ? '2>&1' : '2>>"$2"';
  const program = 'argv' in launch.command ? '"$@"' : '/bin/sh -c "$1"';
  const script = [
    reset.kind === 'bash-monitor' ? 'set -m' : ':',
    // The shell's own PWD would otherwise reach a program that should see only [[Env]].
    'PWD' in launch.env ? ':' : 'unset PWD',
    // fd 3 carries the PID back to us; the program must not hold it open.
    `exec 3>&1 </dev/null >>"$1" ${stderrRedirect}`,
    'shift 2',
    `${reset.prefix}${program} 3>&- &`,
    'echo $! >&3',
  ].join('\n');
  const args = 'argv' in launch.command ? launch.command.argv : [launch.command.shellCommand];
  return new Promise((resolve, reject) => {
    const child = spawn(reset.shell, ['-c', script, 'usrsvc-launch', launch.stdout, launch.stderr, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: launch.env,
      cwd: launch.cwd,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', (error) => reject(new LaunchError(`cannot run ${reset.shell}: ${error.message}`, err)));
    child.on('close', (code) => {
      const pid = Number.parseInt(out.trim(), 10);
      if (code === 0 && Number.isSafeInteger(pid) && pid > 0) resolve(pid);
      else reject(new LaunchError(err.trim() || `the launching shell exited with code ${code}`, err));
    });
  });
}
