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
}

/** Starts a program whose parent is init (or the nearest subreaper); returns its PID. */
export type OrphanSpawn = (launch: OrphanLaunch) => number;

/**
 * The native double fork (fork, setsid, fork, execve: no shell) when the addon is loaded, else
 * undefined. The program's parent is never the caller; it runs with default signal dispositions,
 * stdin from /dev/null and stdout/stderr appended to their files. Throws like fs does (`code`,
 * `errno`, `syscall`) when a file cannot be opened or execve fails.
 */
export function nativeOrphanSpawn(): OrphanSpawn | undefined {
  const { binding } = loadAddon();
  if (!binding) return undefined;
  return (launch) => {
    const envp: string[] = [];
    for (const [name, value] of Object.entries(launch.env)) if (value !== undefined) envp.push(`${name}=${value}`);
    const stderr = launch.stderr === undefined || launch.stderr === launch.stdout ? null : launch.stderr;
    return binding.spawnOrphan(launch.file, launch.argv, envp, launch.stdout, stderr, launch.cwd ?? null);
  };
}
