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

/**
 * The native double fork (fork, setsid, fork, execve: no shell) when the addon is loaded, else
 * undefined. The program's parent is never the caller; it runs with default signal dispositions,
 * stdin from /dev/null and stdout/stderr appended to their files, in `cwd`, with `settings`
 * (limits, umask, nice) applied before execve. Throws like fs does (`code`, `errno`, `syscall`:
 * 'open stdout', 'chdir', 'setrlimit nofile', 'setpriority', 'execve'...) when a step fails;
 * the program then never ran.
 */
export function nativeOrphanSpawn(): OrphanSpawn | undefined {
  const { binding } = loadAddon();
  if (!binding) return undefined;
  return (launch) => {
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
    try {
      return binding.spawnOrphan(launch.file, launch.argv, envp, launch.stdout, stderr, launch.cwd ?? null, settings);
    } catch (error) {
      // Which limit the kernel refused: "setrlimit nofile".
      const index = (error as { limitIndex?: number }).limitIndex;
      if (index !== undefined && limits[index]) (error as NodeJS.ErrnoException).syscall = `setrlimit ${limits[index].resource}`;
      throw error;
    }
  };
}
