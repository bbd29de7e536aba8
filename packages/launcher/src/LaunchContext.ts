import type { ProcessTable } from '@usrsvc/procscan';
import { sharedSnapshot } from './sharedSnapshot.js';
import type { Logger } from './Logger.js';
import type { OrphanSpawn } from './spawnDetached.js';
import { silentLogger } from './Logger.js';
import { defaultStateDir } from './stateDir.js';

export interface LaunchContext {
  /** Default: defaultStateDir(env). */
  stateDir?: string;
  /** Default process.env: HOME / XDG_RUNTIME_DIR for the state folder, and what programs inherit. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** The daemon passes a shared, coalescing one; default: sharedSnapshot(uid) (coalescing, per process). */
  snapshot?: () => Promise<ProcessTable>;
  /** Default process.getuid(). */
  uid?: number;
  /** How long to wait for a program's lock before LockTimeoutError (default 30 000). */
  lockTimeoutMs?: number;
  /** Poll interval while waiting for a launched program or a stopping one (default 50). */
  pollIntervalMs?: number;
  /**
   * A native double fork (@usrsvc/exitwatch's nativeOrphanSpawn()) to launch programs with, no
   * shell in between; default: the /bin/sh launch. Either way the program's parent is init.
   */
  orphanSpawn?: OrphanSpawn;
  /**
   * A non-blocking flock(2) of a descriptor (@usrsvc/exitwatch's nativeTryLockFile(), which the
   * apps pass when the addon is built); default: the same kernel lock taken through flock(1).
   */
  tryLockFile?: TryLockFile;
}

/** flock(fd, LOCK_EX | LOCK_NB): true when taken (or already held through fd), false when busy. */
export type TryLockFile = (fd: number) => boolean | Promise<boolean>;

/** A LaunchContext with every default filled in. */
export interface ResolvedContext {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  snapshot: () => Promise<ProcessTable>;
  uid: number;
  lockTimeoutMs: number;
  pollIntervalMs: number;
  orphanSpawn?: OrphanSpawn;
  tryLockFile?: TryLockFile;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
export const DEFAULT_POLL_INTERVAL_MS = 50;

export function resolveContext(ctx: LaunchContext = {}): ResolvedContext {
  const env = ctx.env ?? process.env;
  const uid = ctx.uid ?? process.getuid?.() ?? 0;
  return {
    stateDir: ctx.stateDir ?? defaultStateDir(env),
    env,
    logger: ctx.logger ?? silentLogger,
    snapshot: ctx.snapshot ?? sharedSnapshot(uid),
    uid,
    lockTimeoutMs: ctx.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    pollIntervalMs: ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    ...(ctx.orphanSpawn ? { orphanSpawn: ctx.orphanSpawn } : {}),
    ...(ctx.tryLockFile ? { tryLockFile: ctx.tryLockFile } : {}),
  };
}
