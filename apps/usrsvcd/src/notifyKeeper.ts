import { nativeNotifySocket, notifySocketUnavailable } from '@usrsvc/exitwatch';
import { type LaunchContext, type NotifyListener, type NotifyState, readNotifyState, resumeNotify } from '@usrsvc/launcher';
import type { Logger } from './log.js';
import { message } from './ProgramSupervisor.js';

type NotifyContext = Pick<LaunchContext, 'notifySocket' | 'notifyUnavailable' | 'keepNotify'>;

/**
 * usrsvcd's side of sd_notify: it listens on the notify socket of every ready_check = notify
 * program it supervises, whoever launched it. Its own starts hand their socket over (keepNotify);
 * for a program that a `usrsvc start` launched, or that ran before this usrsvcd started, it binds
 * the program's stable socket path again (resumeNotify) once no start holds the program's lock.
 * Until then it knows no ping, and the watchdog waits.
 */
export class NotifyKeeper {
  readonly context: NotifyContext;
  private readonly listeners = new Map<string, NotifyListener>();
  private readonly resuming = new Set<string>();

  /** `ctx`: the daemon's launch context (which holds this keeper's `context`). */
  constructor(private readonly ctx: () => LaunchContext & { stateDir: string; uid: number }) {
    const notifySocket = nativeNotifySocket();
    this.context = notifySocket
      ? { notifySocket, keepNotify: (name, listener) => this.keep(name, listener) }
      : { notifyUnavailable: notifySocketUnavailable() ?? 'not available' };
  }

  /** What the program said last: the live listener's view, else what was kept in the state folder. */
  state(name: string): NotifyState | undefined {
    return this.listeners.get(name)?.state ?? readNotifyState(name, this.ctx());
  }

  /**
   * The last WATCHDOG=1 (or READY=1, or the takeover) of the running `pid`, when usrsvcd listens
   * on its socket now; undefined when it does not (yet): then nothing is known.
   */
  lastPingMs(name: string, pid: number): number | undefined {
    const listener = this.listeners.get(name);
    return listener?.bound() && listener.watches(pid) ? listener.state.lastWatchdogMs : undefined;
  }

  /** Makes sure usrsvcd listens for the program running as `pid` (resolves once it does, or cannot yet). */
  async follow(name: string, pid: number, log: Logger): Promise<void> {
    if (!this.context.notifySocket || this.resuming.has(name)) return;
    const listener = this.listeners.get(name);
    if (listener?.bound()) {
      // The same socket: a process of the launch it listened for (a successor, MAINPID).
      if (!listener.watches(pid)) listener.adopt(pid);
      return;
    }
    this.resuming.add(name);
    try {
      const resumed = await resumeNotify({ name }, this.ctx(), { pid });
      if (!resumed) return;
      if (this.listeners.get(name) !== listener) {
        // One of our starts handed over a newer socket meanwhile.
        resumed.close();
        return;
      }
      this.keep(name, resumed);
      log.info(`listening on its notify socket again (${resumed.path}) for pid ${pid}.`, { event: 'notify-resumed', pid });
    } catch (error) {
      log.warn(`cannot listen on its notify socket again: ${message(error)}`);
    } finally {
      this.resuming.delete(name);
    }
  }

  forget(name: string): void {
    this.listeners.get(name)?.close();
    this.listeners.delete(name);
  }

  closeAll(): void {
    for (const listener of this.listeners.values()) listener.close();
    this.listeners.clear();
  }

  /** A newer socket replaces (and closes) the older one. */
  private keep(name: string, listener: NotifyListener): void {
    const previous = this.listeners.get(name);
    this.listeners.set(name, listener);
    if (previous && previous !== listener) previous.close();
  }
}
