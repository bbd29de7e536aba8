import fs from 'node:fs';
import path from 'node:path';
import { isSameProcess, processIdentity } from '@usrsvc/procscan';
import { LockTimeoutError } from './errors.js';
import type { LaunchContext, ResolvedContext, TryLockFile } from './LaunchContext.js';
import { resolveContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { ensureStateDir, stateFileName } from './stateDir.js';

const FIRST_RETRY_MS = 10;
const MAX_RETRY_MS = 200;
/** flock(1)'s exit code when the lock is busy (-E), distinct from its own failures (64+). */
const FLOCK_BUSY = 75;

/**
 * Runs `fn` holding the program's lock, shared by every usrsvc, usrsvcd and usrsvc-web of this
 * user: flock(2) on `locks/<name>.lock`, held for as long as `fn` runs (however long) and released
 * by the kernel when the holder closes it or dies. Throws LockTimeoutError when the lock stays
 * busy for ctx.lockTimeoutMs (default 30 s; 0: one attempt).
 */
export async function withProgramLock<T>(
  program: Pick<LauncherProgram, 'name'> | string,
  ctx: LaunchContext | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const resolved = resolveContext(ctx);
  const name = typeof program === 'string' ? program : program.name;
  const fd = await acquireProgramLock(name, resolved);
  try {
    return await fn();
  } finally {
    fs.closeSync(fd);
  }
}

/** The lock file of a program (it stays: an unlocked file makes nobody wait). */
function programLockPath(name: string, ctx: ResolvedContext): string {
  return path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'locks'), `${stateFileName(name)}.lock`);
}

async function acquireProgramLock(name: string, ctx: ResolvedContext): Promise<number> {
  const file = programLockPath(name, ctx);
  const tryLock = ctx.tryLockFile ?? flockCommand;
  const deadline = Date.now() + ctx.lockTimeoutMs;
  let delay = FIRST_RETRY_MS;
  for (;;) {
    const fd = openLockFile(name, file, ctx);
    if (fd !== undefined) {
      let locked = false;
      try {
        locked = await tryLock(fd);
      } finally {
        if (!locked) fs.closeSync(fd);
      }
      if (locked) {
        writeOwner(fd);
        return fd;
      }
    }
    if (Date.now() >= deadline) throw new LockTimeoutError(name, file, ctx.lockTimeoutMs, readOwnerPid(file));
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay * (0.5 + Math.random()), deadline - Date.now())));
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  }
}

/** Opens (creating) the lock file; undefined while an old usrsvc's lock folder is in its place and alive. */
function openLockFile(name: string, file: string, ctx: ResolvedContext): number | undefined {
  try {
    // libuv opens with O_CLOEXEC: programs launched while we hold the lock never inherit it.
    return fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
  }
  // An earlier usrsvc locked with a folder (proper-lockfile) holding an `owner` file. rmdir only
  // removes an empty folder, never a lock file that replaced it meanwhile.
  const owner = readOwner(path.join(file, 'owner'));
  if (owner && isSameProcess(owner)) return undefined;
  try {
    for (const entry of ['owner', 'owner.tmp']) fs.rmSync(path.join(file, entry), { force: true });
    fs.rmdirSync(file);
    ctx.logger.warn(`removed the lock folder of ${name} left by an earlier usrsvc`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  return openLockFile(name, file, ctx);
}

/** This process's identity (its start time never changes): read once, not at every lock. */
let ownIdentity: ReturnType<typeof processIdentity> | null = null;

/** For messages only (who holds it): the lock itself is the kernel's. */
function writeOwner(fd: number): void {
  if (ownIdentity === null) ownIdentity = processIdentity(process.pid);
  const self = ownIdentity;
  if (!self) return;
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, `${self.pid} ${self.startTicks}\n`, 0);
}

function readOwner(file: string): { pid: number; startTicks: number } | undefined {
  try {
    const [pid, startTicks] = fs.readFileSync(file, 'utf8').trim().split(' ').map(Number);
    if (!Number.isSafeInteger(pid) || !Number.isSafeInteger(startTicks)) return undefined;
    return { pid: pid!, startTicks: startTicks! };
  } catch {
    return undefined;
  }
}

function readOwnerPid(file: string): number | undefined {
  const owner = readOwner(file);
  return owner && isSameProcess(owner) ? owner.pid : undefined;
}

/**
 * Without the native addon: util-linux's flock(1) takes flock(2) on our descriptor, which it
 * shares (fd 3, the same open file description), and exits; the lock stays with the description,
 * so it is ours until we close it or die. The same kernel lock as the addon's: processes with and
 * without the addon exclude each other.
 */
const flockCommand: TryLockFile = (fd) =>
  new Promise((resolve, reject) => {
    const child = process.getBuiltinModule('node:child_process').spawn('flock', ['--nonblock', '--exclusive', '--conflict-exit-code', String(FLOCK_BUSY), '3'], {
      stdio: ['ignore', 'ignore', 'pipe', fd],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) =>
      reject(new Error(`locking needs usrsvc's native addon or flock(1) from util-linux: ${error.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(true);
      else if (code === FLOCK_BUSY) resolve(false);
      else reject(new Error(`flock(1) failed (exit ${code}): ${stderr.trim()}`));
    });
  });
