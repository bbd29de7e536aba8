import fs from 'node:fs';
import { isEmptySettings, niceIncrement, type ProcessSettings } from './processSettings.js';
import { resolveExecutable } from './resolveExecutable.js';
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
  /** Limits, umask and nice, applied in the program's process before exec. */
  settings?: ProcessSettings;
}

/**
 * A native double fork (@usrsvc/exitwatch's nativeOrphanSpawn(), or nativeOrphanSpawnAsync(),
 * which leaves the event loop free while it runs): the program's PID once it has exec'd.
 */
export type OrphanSpawn = (launch: {
  file: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: string;
  stderr?: string;
  cwd?: string;
  settings?: ProcessSettings;
}) => number | Promise<number>;

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
 * Starts a program whose parent is init (or the nearest subreaper), never this process. With
 * `orphanSpawn` (a native double fork) and a command found on the launch PATH: directly.
 * Otherwise a short-lived /bin/sh, in a session of its own, puts the program in the background
 * with stdin from /dev/null and stdout/stderr appended to their files, prints its PID and exits,
 * so the program is orphaned and reparented at once. Resolves with the program's PID.
 */
export function spawnDetached(launch: DetachedLaunch, orphanSpawn?: OrphanSpawn): Promise<number> {
  if (orphanSpawn) {
    const argv = 'argv' in launch.command ? launch.command.argv : ['/bin/sh', '-c', launch.command.shellCommand];
    const file = resolveExecutable(argv[0] ?? '', launch.env.PATH);
    if (file !== undefined) return spawnNatively(orphanSpawn, file, argv, launch);
  }
  return spawnThroughShell(launch);
}

/** The same launch with no shell and no env wrapper in between: one fork less and two execs less. */
async function spawnNatively(orphanSpawn: OrphanSpawn, file: string, argv: string[], launch: DetachedLaunch): Promise<number> {
  try {
    return await orphanSpawn({
      file,
      argv,
      env: launch.env,
      stdout: launch.stdout,
      stderr: launch.stderr,
      ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
      ...(isEmptySettings(launch.settings) ? {} : { settings: launch.settings }),
    });
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    const reason = (error as Error).message.replace(/^./, (first) => first.toUpperCase());
    const setting = describeFailedSetting(syscall, launch);
    if (setting) throw new LaunchError(`cannot ${setting}: ${reason} (${code})`, '');
    if (syscall === 'open stdout' || syscall === 'open stderr') {
      const file = syscall === 'open stdout' ? launch.stdout : launch.stderr;
      throw new LaunchError(`cannot open ${file} for the program's ${syscall.slice(5)}: ${reason} (${code})`, '');
    }
    if (syscall !== 'execve') throw new LaunchError(`cannot ${syscall ?? 'launch'}: ${reason} (${code})`, '');
    // Where the shell launch would have said it: the program's stderr, so its tail shows why.
    const line = `usrsvc: cannot execute ${file}: ${reason} (${code})`;
    try {
      fs.appendFileSync(launch.stderr, `${line}\n`);
    } catch {
      // the message below still says it
    }
    throw new LaunchError(line, '');
  }
}

/** What a native launch step that failed was setting: "set limit_nofile to 1024:4096". */
function describeFailedSetting(syscall: string | undefined, launch: DetachedLaunch): string | undefined {
  if (syscall === 'chdir') return `enter the directory ${launch.cwd}`;
  if (syscall === 'setpriority') return `set nice to ${launch.settings?.nice}`;
  const resource = /^setrlimit (\w+)$/.exec(syscall ?? '')?.[1];
  const limit = launch.settings?.limits.find((item) => item.resource === resource);
  return limit ? `set limit_${resource} to ${limit.soft}:${limit.hard}` : undefined;
}

/**
 * The settings as /bin/sh lines before the program is put in the background (the job inherits
 * them): util-linux prlimit on the shell itself (exact bytes, soft and hard at once, in any
 * shell, where ulimit's units and letters differ between dash and bash), the umask builtin;
 * and coreutils nice in front of the program, with the increment from our own nice.
 */
function shellSettings(settings: ProcessSettings | undefined): { lines: string[]; prefix: string } {
  if (!settings || isEmptySettings(settings)) return { lines: [], prefix: '' };
  const lines: string[] = [];
  const value = (limit: number | 'infinity') => (limit === 'infinity' ? 'unlimited' : String(limit));
  if (settings.limits.length > 0) {
    const options = settings.limits.map((limit) => `--${limit.resource}=${value(limit.soft)}:${value(limit.hard)}`);
    lines.push(`prlimit --pid $$ ${options.join(' ')} || exit 125`);
  }
  if (settings.umask !== undefined) lines.push(`umask ${settings.umask.toString(8).padStart(3, '0')}`);
  const prefix = settings.nice === undefined ? '' : `nice -n ${niceIncrement(settings.nice)} `;
  return { lines, prefix };
}

function spawnThroughShell(launch: DetachedLaunch): Promise<number> {
  const reset = signalReset();
  const stderrRedirect = launch.stderr === launch.stdout ? '2>&1' : '2>>"$2"';
  const program = 'argv' in launch.command ? '"$@"' : '/bin/sh -c "$1"';
  const settings = shellSettings(launch.settings);
  const script = [
    reset.kind === 'bash-monitor' ? 'set -m' : ':',
    ...settings.lines,
    // The shell's own PWD would otherwise reach a program that should see only [[Env]].
    'PWD' in launch.env ? ':' : 'unset PWD',
    // fd 3 carries the PID back to us; the program must not hold it open.
    `exec 3>&1 </dev/null >>"$1" ${stderrRedirect}`,
    'shift 2',
    `${reset.prefix}${settings.prefix}${program} 3>&- &`,
    'echo $! >&3',
  ].join('\n');
  const args = 'argv' in launch.command ? launch.command.argv : [launch.command.shellCommand];
  return new Promise((resolve, reject) => {
    const child = process.getBuiltinModule('node:child_process').spawn(reset.shell, ['-c', script, 'usrsvc-launch', launch.stdout, launch.stderr, ...args], {
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
