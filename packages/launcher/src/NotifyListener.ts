import fs from 'node:fs';
import path from 'node:path';
import { readProcess } from '@usrsvc/procscan';
import type { ResolvedContext } from './LaunchContext.js';
import { applyNotifyMessage, NOTIFY_MAX_BYTES, type NotifyDatagram, type NotifySocket, type NotifyState } from './notifyProtocol.js';
import { ensureStateDir, stateFileName } from './stateDir.js';

/** How far up the parent chain a sender is followed to a process of the program. */
const MAX_ANCESTRY = 64;
const EARLY_LIMIT = 64;

/** The notify socket's path of a program: stable, so whoever watches it next can bind it again. */
export function notifySocketPath(programName: string, ctx: Pick<ResolvedContext, 'stateDir' | 'uid'>): string {
  return path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'notify'), `${stateFileName(programName)}.sock`);
}

function notifyStateFile(programName: string, ctx: Pick<ResolvedContext, 'stateDir' | 'uid'>): string {
  return path.join(ensureStateDir(ctx.stateDir, ctx.uid, 'notify'), `${stateFileName(programName)}.json`);
}

/** The last sd_notify state a launcher or usrsvcd kept for a program (READY, STATUS...), if any. */
export function readNotifyState(programName: string, ctx: Pick<ResolvedContext, 'stateDir' | 'uid'>): NotifyState | undefined {
  try {
    return JSON.parse(fs.readFileSync(notifyStateFile(programName, ctx), 'utf8')) as NotifyState;
  } catch {
    return undefined;
  }
}

/** What a notify state file may hold that the listener takes back (nothing else from the file). */
function pickNotifyState(kept: NotifyState): Partial<NotifyState> {
  const picked: Partial<NotifyState> = { ready: kept.ready === true, stopping: kept.stopping === true, reloading: kept.reloading === true };
  if (typeof kept.status === 'string') picked.status = kept.status;
  if (Number.isInteger(kept.mainPid) && kept.mainPid! > 0) picked.mainPid = kept.mainPid!;
  if (Number.isInteger(kept.dropped) && kept.dropped >= 0) picked.dropped = kept.dropped;
  return picked;
}

/**
 * The program's sd_notify socket and what arrived on it. A datagram counts only when the kernel's
 * credentials name a process of ours in the program's tree: one of its main processes (the
 * launched one, MAINPID) or a descendant, or a process of the session the launch created.
 * Anything else (too large, no credentials, an unrelated process) is dropped and counted.
 */
export class NotifyListener {
  readonly state: NotifyState = { ready: false, stopping: false, reloading: false, dropped: 0 };
  private readonly roots = new Set<number>();
  private readonly socket: NotifySocket;
  private session: number | undefined;
  private waiters: Array<() => void> = [];
  /** Datagrams that came before the launched pid was known (a fast program): judged at adopt(). */
  private early: NotifyDatagram[] | undefined = [];

  /**
   * Binds the socket (replacing a stale one at the path). A new launch starts from a clean state;
   * `resume` (a running program whose socket another process bound before: a usrsvc start, an
   * earlier usrsvcd) keeps what the program said before (READY, STATUS, MAINPID) and counts the
   * takeover as its last watchdog ping, so it gets a whole watchdog_seconds to ping again.
   */
  constructor(
    private readonly programName: string,
    private readonly ctx: ResolvedContext,
    socketPath: string,
    resume?: { pid: number },
  ) {
    if (!ctx.notifySocket) throw new Error(ctx.notifyUnavailable ?? 'no notify socket available');
    if (resume) {
      const kept = readNotifyState(programName, ctx);
      if (kept) Object.assign(this.state, pickNotifyState(kept));
      this.state.lastWatchdogMs = Date.now();
    } else {
      fs.rmSync(notifyStateFile(programName, ctx), { force: true });
    }
    this.socket = ctx.notifySocket(socketPath, (datagram) => this.receive(datagram));
    if (resume) {
      this.adopt(resume.pid);
      if (this.state.mainPid !== undefined) this.roots.add(this.state.mainPid);
    }
  }

  get path(): string {
    return this.socket.path;
  }

  /** Whether the path still names this listener's socket (a later start binds its own there). */
  bound(): boolean {
    return this.socket.bound();
  }

  /** Whether datagrams from this process (and its descendants) count. */
  watches(pid: number): boolean {
    return this.early === undefined && this.roots.has(pid);
  }

  /** The launched process (and later MAINPID): senders are checked against its tree. */
  adopt(pid: number): void {
    this.roots.add(pid);
    const info = readProcess(pid);
    if (info?.sid === pid) this.session = pid;
    const early = this.early;
    this.early = undefined;
    for (const datagram of early ?? []) this.receive(datagram);
  }

  /** Resolves at the next accepted datagram. */
  nextMessage(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.socket.close();
    for (const wake of this.waiters.splice(0)) wake();
  }

  private receive(datagram: NotifyDatagram): void {
    if (this.early) {
      if (this.early.length < EARLY_LIMIT) this.early.push(datagram);
      else this.state.dropped += 1;
      return;
    }
    if (datagram.size > NOTIFY_MAX_BYTES || !this.fromProgram(datagram)) {
      this.state.dropped += 1;
      this.ctx.logger.debug(`${this.programName}: dropped a notify datagram (${datagram.size} bytes from pid ${datagram.pid})`);
      return;
    }
    const changed = applyNotifyMessage(this.state, Buffer.from(datagram.data, 'latin1').toString('utf8'), Date.now());
    if (changed.includes('MAINPID') && this.state.mainPid !== undefined) this.roots.add(this.state.mainPid);
    if (changed.length > 0) this.persist();
    for (const wake of this.waiters.splice(0)) wake();
  }

  private fromProgram(datagram: NotifyDatagram): boolean {
    if (datagram.pid <= 0 || datagram.uid !== this.ctx.uid) return false;
    let pid = datagram.pid;
    for (let step = 0; step < MAX_ANCESTRY && pid > 1; step++) {
      if (this.roots.has(pid)) return true;
      const info = readProcess(pid);
      if (!info || info.uid !== this.ctx.uid) return false;
      if (this.session !== undefined && info.sid === this.session) return true;
      pid = info.ppid;
    }
    return false;
  }

  private persist(): void {
    const file = notifyStateFile(this.programName, this.ctx);
    const { lastWatchdogMs: _, ...kept } = this.state;
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...kept, atMs: Date.now() }), { mode: 0o600 });
      fs.renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.ctx.logger.warn(`${this.programName}: cannot keep its notify state in ${file}: ${(error as Error).message}`);
    }
  }
}
