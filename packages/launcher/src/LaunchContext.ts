import type { ProcessIdentity, ProcessTable } from '@usrsvc/procscan';
import { sharedSnapshot } from './sharedSnapshot.js';
import type { Logger } from './Logger.js';
import type { NotifyListener } from './NotifyListener.js';
import type { NotifySocketFactory } from './notifyProtocol.js';
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
   * Binds sd_notify sockets (@usrsvc/exitwatch's nativeNotifySocket()); without it a start of a
   * program with ready_check = notify fails at once, saying notifyUnavailable.
   */
  notifySocket?: NotifySocketFactory;
  notifyUnavailable?: string;
  /**
   * Called with a notify program's socket once a start succeeded, instead of closing it: usrsvcd
   * keeps listening (WATCHDOG=1, STATUS). StartOptions.keepNotify takes precedence.
   */
  keepNotify?(programName: string, listener: NotifyListener): void;
  /** A start waits for its ready_check: each failed attempt (StartOptions.onWaitingForReady wins). */
  onWaitingForReady?(programName: string, check: string, last: string): void;
  /**
   * A non-blocking flock(2) of a descriptor (@usrsvc/exitwatch's nativeTryLockFile(), which the
   * apps pass when the addon is built); default: the same kernel lock taken through flock(1).
   */
  tryLockFile?: TryLockFile;
  /**
   * Tells once when a process exits (@usrsvc/exitwatch's watchExit in pidfd mode): a start that
   * has seen its program run waits for the end of success_seconds or the program's exit, instead
   * of polling it every pollIntervalMs. Default: polling.
   */
  watchExit?: WatchExit;
}

/** Calls onExit once when the process (pid and start time) exits; close() stops watching. */
export type WatchExit = (identity: ProcessIdentity, onExit: () => void) => { close(): void };

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
  notifySocket?: NotifySocketFactory;
  notifyUnavailable?: string;
  keepNotify?(programName: string, listener: NotifyListener): void;
  onWaitingForReady?(programName: string, check: string, last: string): void;
  tryLockFile?: TryLockFile;
  watchExit?: WatchExit;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/**
 * USRSVC_LOCK_TIMEOUT (seconds), read by usrsvc and usrsvcd alike: a shorter wait for a busy
 * program lock, for tests and scripts that prefer a quick TRY_AGAIN (11). Undefined when unset or invalid.
 */
export function lockTimeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const seconds = Number.parseFloat(env.USRSVC_LOCK_TIMEOUT ?? '');
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}
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
    ...(ctx.notifySocket ? { notifySocket: ctx.notifySocket } : {}),
    ...(ctx.notifyUnavailable ? { notifyUnavailable: ctx.notifyUnavailable } : {}),
    ...(ctx.keepNotify ? { keepNotify: ctx.keepNotify } : {}),
    ...(ctx.onWaitingForReady ? { onWaitingForReady: ctx.onWaitingForReady } : {}),
    ...(ctx.tryLockFile ? { tryLockFile: ctx.tryLockFile } : {}),
    ...(ctx.watchExit ? { watchExit: ctx.watchExit } : {}),
  };
}
