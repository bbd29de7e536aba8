import { loadAddon } from './addon.js';

/** What the program runs as: an absolute (or cwd-relative) file, its argv and whole environment. */
export interface OrphanLaunch {
  file: string;
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: string;
  /** Omitted: the same file (and descriptor) as stdout. */
  stderr?: string;
  cwd?: string;
  /** Applied in the program's process before execve. */
  settings?: OrphanProcessSettings;
}

/** A resource limit as setrlimit(2) takes it; 'infinity' is RLIM_INFINITY. */
export interface OrphanResourceLimit {
  resource: 'nofile' | 'nproc' | 'core' | 'memlock' | 'as' | 'fsize' | 'stack';
  soft: number | 'infinity';
  hard: number | 'infinity';
}

export interface OrphanProcessSettings {
  limits?: OrphanResourceLimit[];
  umask?: number;
  /** Absolute nice value (setpriority), not an increment. */
  nice?: number;
}

/** Starts a program whose parent is init (or the nearest subreaper); returns its PID. */
export type OrphanSpawn = (launch: OrphanLaunch) => number;

/** The same launch, run on libuv's thread pool: the event loop never waits for it. */
export type OrphanSpawnAsync = (launch: OrphanLaunch) => Promise<number>;

/**
 * The native double fork (clone, setsid, clone, execve: no shell, and no copy of our memory) when
 * the addon is loaded, else undefined. The program's parent is never the caller; it runs with
 * default signal dispositions, stdin from /dev/null and stdout/stderr appended to their files, in
 * `cwd`, with `settings` (limits, umask, nice) applied before execve. Returns once the program has
 * exec'd. Throws like fs does (`code`, `errno`, `syscall`: 'open stdout', 'chdir', 'setrlimit
 * nofile', 'setpriority', 'execve'...) when a step fails; the program then never ran.
 */
export function nativeOrphanSpawn(): OrphanSpawn | undefined {
  const { binding } = loadAddon();
  if (!binding) return undefined;
  return (launch) => {
    const args = nativeArguments(launch);
    try {
      return binding.spawnOrphan(...args);
    } catch (error) {
      throw withLimitName(error, launch);
    }
  };
}

/**
 * nativeOrphanSpawn's launch on libuv's thread pool: resolves with the PID once the program has
 * exec'd, rejects as nativeOrphanSpawn throws. Concurrent launches run side by side, and the
 * JS thread goes on meanwhile (usrsvcd's cold start launches every program at once).
 */
export function nativeOrphanSpawnAsync(): OrphanSpawnAsync | undefined {
  const { binding } = loadAddon();
  if (!binding) return undefined;
  return async (launch) => {
    const args = nativeArguments(launch);
    try {
      return await binding.spawnOrphanAsync(...args);
    } catch (error) {
      throw withLimitName(error, launch);
    }
  };
}

type NativeArguments = Parameters<NonNullable<ReturnType<typeof loadAddon>['binding']>['spawnOrphan']>;

function nativeArguments(launch: OrphanLaunch): NativeArguments {
  const envp: string[] = [];
  for (const [name, value] of Object.entries(launch.env)) if (value !== undefined) envp.push(`${name}=${value}`);
  const stderr = launch.stderr === undefined || launch.stderr === launch.stdout ? null : launch.stderr;
  const { limits = [], umask, nice } = launch.settings ?? {};
  const asNumber = (value: number | 'infinity') => (value === 'infinity' ? -1 : value);
  const settings = {
    limits: limits.map((limit) => [limit.resource, asNumber(limit.soft), asNumber(limit.hard)] as [string, number, number]),
    umask: umask ?? null,
    nice: nice ?? null,
  };
  return [launch.file, launch.argv, envp, launch.stdout, stderr, launch.cwd ?? null, settings];
}

/** Which limit the kernel refused: "setrlimit nofile". */
function withLimitName(error: unknown, launch: OrphanLaunch): unknown {
  const index = (error as { limitIndex?: number }).limitIndex;
  const limit = index === undefined ? undefined : launch.settings?.limits?.[index];
  if (limit) (error as NodeJS.ErrnoException).syscall = `setrlimit ${limit.resource}`;
  return error;
}
