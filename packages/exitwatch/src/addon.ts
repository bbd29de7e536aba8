import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** An active pidfd watch inside the native addon (an opaque external). */
export type PidfdHandle = object & { readonly __pidfdHandle: unique symbol };

/** The native addon's interface (native/exitwatch.c). */
export interface PidfdBinding {
  /** pidfd_open(getpid()) then close: 0 when pidfd works, else the errno. */
  probe(): number;
  /**
   * Opens a pidfd for `pid` and polls it on Node's event loop. `callback(0)` runs once when the
   * process exits (or is already a zombie); `callback(status < 0)` when polling failed (a libuv
   * error code), after which the watch is closed. Throws an Error with `code` ('ESRCH', ...)
   * and `errno` when pidfd_open fails.
   */
  watch(pid: number, callback: (status: number) => void, keepAlive: boolean): PidfdHandle;
  /** Stops the watch and closes the pidfd; the callback will not run. Idempotent. */
  close(handle: PidfdHandle): void;
  /**
   * Double-forks `file` (clone with CLONE_VM | CLONE_VFORK, native/spawn.c) with exactly `argv`
   * and `envp` ("NAME=value"), stdin /dev/null, stdout and stderr (null: the same file) appended;
   * returns its PID once it has exec'd. Throws an Error with `code`, `errno` and `syscall`
   * ('open stdout', 'fork', 'execve'...; `limitIndex` for 'setrlimit').
   */
  spawnOrphan(...args: SpawnArguments): number;
  /** spawnOrphan on libuv's thread pool: a Promise of the PID, rejected with the same Errors. */
  spawnOrphanAsync(...args: SpawnArguments): Promise<number>;
  /** A non-blocking SOCK_DGRAM Unix socket with SO_PASSCRED bound at path (mode 0600); its fd. */
  notifyBind(path: string): number;
  /** One datagram with its sender's credentials, or null when none waits (native/notify.c). */
  notifyRecv(fd: number): { pid: number; uid: number; gid: number; size: number; data: string } | null;
  /** Calls back (status 0, or < 0 once on a poll error) each time fd is readable. */
  notifyWatch(fd: number, callback: (status: number) => void, keepAlive: boolean): PidfdHandle;
  notifyUnwatch(handle: PidfdHandle): void;
  /**
   * flock(fd, LOCK_EX | LOCK_NB): true when fd's open file description holds the lock, false when
   * another holds it. Throws an Error with `code`, `errno` and `syscall` 'flock' otherwise.
   */
  tryLockExclusive(fd: number): boolean;
  /** isatty(3) (native/client.c; see nativeClient.ts). */
  isTerminal(fd: number): boolean;
  /** One blocking request and answer over a Unix stream socket (native/client.c; see nativeClient.ts). */
  unixExchange(path: string, request: Buffer, timeoutMs: number): Buffer;
  /**
   * The stat, cmdline and (exactRss) statm of every /proc/<pid>, of `uid`'s only when uid >= 0,
   * read on libuv's thread pool and packed as procscan's PackedProcReader describes (native/procread.c).
   */
  readProcAsync(uid: number, exactRss: boolean): Promise<Buffer>;
}

type SpawnArguments = [
  file: string,
  argv: string[],
  envp: string[],
  stdout: string,
  stderr: string | null,
  cwd: string | null,
  /** Applied in the program's process before execve; a negative limit is RLIM_INFINITY. */
  settings: { limits: [string, number, number][]; umask: number | null; nice: number | null },
];

export type AddonState = { binding: PidfdBinding } | { binding?: undefined; reason: string };

export const ADDON_PATH = '../build/Release/usrsvc_exitwatch.node';

let state: AddonState | undefined;
let loaded: AddonState | undefined;

/** Loads and probes the addon once; explains why when it cannot be used for pidfd. */
export function loadAddon(): AddonState {
  state ??= tryLoad();
  return state;
}

/** The addon as loaded, whether or not pidfd works (its other functions need no pidfd). */
export function loadBinding(): AddonState {
  loaded ??= tryRequire();
  return loaded;
}

function tryRequire(): AddonState {
  if (process.platform !== 'linux') {
    return { reason: `pidfd is Linux-only (platform ${process.platform})` };
  }
  try {
    // Relative to dist/ (or src/ under tests): <package>/build/Release/. process.dlopen, not
    // require: require's resolution costs ~1 ms of a CLI command that loads only this (0.2 ms).
    const addon = { exports: {} };
    process.dlopen(addon, fileURLToPath(new URL(ADDON_PATH, import.meta.url)));
    return { binding: addon.exports as PidfdBinding };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { reason: `native addon not available (not built at install?): ${detail}` };
  }
}

function tryLoad(): AddonState {
  const found = loadBinding();
  if (!found.binding) return found;
  const { binding } = found;
  const errno = binding.probe();
  if (errno !== 0) {
    const name = errnoName(errno);
    const hint = name === 'ENOSYS' ? ' (pidfd_open needs Linux 5.3+)' : '';
    return { reason: `pidfd_open fails on kernel ${os.release()}: ${name}${hint}` };
  }
  return { binding };
}

function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(os.constants.errno)) {
    if (value === errno) return name;
  }
  return `errno ${errno}`;
}
