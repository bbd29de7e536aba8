import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isSameProcess, type ProcessIdentity, processIdentity } from '@usrsvc/procscan';
import lockfile from 'proper-lockfile';
import { LockTimeoutError } from './errors.js';
import type { LaunchContext, ResolvedContext } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { ensureStateDir, stateFileName } from './stateDir.js';

/**
 * proper-lockfile's own stale detection (by mtime, refreshed every STALE_MS / 2 by the holder).
 * It only matters when a holder died before writing its owner file; otherwise the owner's PID
 * shows at once that it is dead.
 */
const STALE_MS = 10_000;
/** A takeover takes microseconds; a takeover folder older than this was left by a dead process. */
const TAKEOVER_STALE_MS = 5_000;
const OWNER_FILE = 'owner';

interface LockPaths {
  /** proper-lockfile's "file" (never created) */
  base: string;
  /** the mkdir-lock folder */
  lockDir: string;
  /** a short mutex around taking over a dead owner's lock */
  takeoverDir: string;
}

function lockPaths(ctx: ResolvedContext, programName: string): LockPaths {
  const base = path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'locks'), stateFileName(programName));
  return { base, lockDir: `${base}.lock`, takeoverDir: `${base}.takeover` };
}

/**
 * Runs `fn` holding the program's lock, shared by every usrsvc and usrsvcd of this user.
 * Throws LockTimeoutError when the lock stays busy for ctx.lockTimeoutMs (default 30 s).
 */
export async function withProgramLock<T>(
  program: Pick<LauncherProgram, 'name'> | string,
  ctx: LaunchContext | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const resolved = resolveContext(ctx);
  const name = typeof program === 'string' ? program : program.name;
  const release = await acquireProgramLock(name, resolved);
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function acquireProgramLock(name: string, ctx: ResolvedContext): Promise<() => Promise<void>> {
  const paths = lockPaths(ctx, name);
  const deadline = Date.now() + ctx.lockTimeoutMs;
  for (;;) {
    try {
      const release = await lockfile.lock(paths.base, {
        lockfilePath: paths.lockDir,
        realpath: false,
        retries: 0,
        stale: STALE_MS,
        onCompromised: (error) => ctx.logger.error(`lock of ${name} was taken from us: ${error.message}`),
      });
      writeOwner(paths.lockDir);
      return async () => {
        fs.rmSync(path.join(paths.lockDir, OWNER_FILE), { force: true });
        await release().catch((error: Error) => ctx.logger.warn(`releasing the lock of ${name}: ${error.message}`));
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTEMPTY: proper-lockfile found the lock stale but cannot rmdir it (our owner file is inside).
      if (code !== 'ELOCKED' && code !== 'ENOTEMPTY') throw error;
    }
    if (takeOverIfOwnerDead(name, paths, ctx)) continue;
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(name, paths.lockDir, ctx.lockTimeoutMs, readOwner(paths.lockDir)?.pid);
    }
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 60));
  }
}

function writeOwner(lockDir: string): void {
  const self = processIdentity(process.pid);
  if (!self) return;
  const temporary = path.join(lockDir, `${OWNER_FILE}.tmp`);
  fs.writeFileSync(temporary, `${self.pid} ${self.startTicks}\n`);
  fs.renameSync(temporary, path.join(lockDir, OWNER_FILE));
}

function readOwner(lockDir: string): ProcessIdentity | undefined {
  try {
    const [pid, startTicks] = fs.readFileSync(path.join(lockDir, OWNER_FILE), 'utf8').trim().split(' ').map(Number);
    if (!Number.isSafeInteger(pid) || !Number.isSafeInteger(startTicks)) return undefined;
    return { pid: pid!, startTicks: startTicks! };
  } catch {
    return undefined;
  }
}

/**
 * When the lock's owner file names a process that is gone, moves the lock folder aside and
 * deletes it; true when it did. Only this path removes a lock folder that holds an owner file
 * (proper-lockfile's rmdir cannot), and it runs under a mkdir mutex, so two waiters never both
 * take over, and a live holder's lock is never touched.
 */
function takeOverIfOwnerDead(name: string, paths: LockPaths, ctx: ResolvedContext): boolean {
  const owner = readOwner(paths.lockDir);
  if (!owner || isSameProcess(owner)) return false;
  if (!enterTakeover(paths.takeoverDir)) return false;
  try {
    const current = readOwner(paths.lockDir);
    if (!current || current.pid !== owner.pid || current.startTicks !== owner.startTicks) return false;
    const tombstone = `${paths.lockDir}.dead-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(paths.lockDir, tombstone);
    } catch {
      return false;
    }
    fs.rmSync(tombstone, { recursive: true, force: true });
    ctx.logger.warn(`took over the lock of ${name} from pid ${owner.pid}, which is gone`);
    return true;
  } finally {
    fs.rmSync(paths.takeoverDir, { recursive: true, force: true });
  }
}

function enterTakeover(takeoverDir: string): boolean {
  try {
    fs.mkdirSync(takeoverDir, { mode: 0o700 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    if (fs.statSync(takeoverDir).mtimeMs < Date.now() - TAKEOVER_STALE_MS) {
      fs.rmSync(takeoverDir, { recursive: true, force: true });
    }
  } catch {
    // gone meanwhile
  }
  return false;
}
