import fs from 'node:fs';
import { DEFAULT_READY_STATUS } from '@usrsvc/config';
import { isSameProcess, type ProcessInfo, readProcess } from '@usrsvc/procscan';
import { awaitReady, type ReadyWait } from './awaitReady.js';
import type { ResolvedContext } from './LaunchContext.js';
import type { LauncherProgram } from './LauncherProgram.js';
import { NotifyListener, notifySocketPath } from './NotifyListener.js';
import { readyProbe } from './readyProbes.js';

/**
 * The readiness side of one launch: the notify socket (bound before the launch, so the program
 * finds it) and the wait for ready_check, which runs alongside the success_seconds watch.
 */
export class LaunchReadiness {
  readonly notify: NotifyListener | undefined;
  private main: ProcessInfo | undefined;
  private abandoned = false;
  private wait: Promise<ReadyWait> | undefined;
  private readonly logOffsets: Array<{ file: string; offset: number }>;

  /** Throws (with a message for people) when ready_check = notify cannot be served. */
  constructor(
    private readonly program: LauncherProgram,
    private readonly ctx: ResolvedContext,
  ) {
    const check = program.readyCheck;
    this.logOffsets = [program.stdout, program.stderr].map((file) => ({ file, offset: sizeNow(file) }));
    if (check?.kind !== 'notify') return;
    if (!ctx.notifySocket) {
      throw new Error(`ready_check = notify needs usrsvc's native addon to receive sd_notify datagrams: ${ctx.notifyUnavailable ?? 'not available'}`);
    }
    try {
      this.notify = new NotifyListener(program.name, ctx, notifySocketPath(program.name, ctx));
    } catch (error) {
      throw new Error(`cannot bind the notify socket: ${(error as Error).message}`);
    }
  }

  /** What the program gets on top of its environment: NOTIFY_SOCKET, WATCHDOG_USEC. */
  environment(): Record<string, string> {
    if (!this.notify) return {};
    const env: Record<string, string> = { NOTIFY_SOCKET: this.notify.path };
    // WATCHDOG_PID would have to be the program's pid before it exists: sd_watchdog_enabled()
    // accepts its absence.
    if ((this.program.watchdogSeconds ?? 0) > 0) env.WATCHDOG_USEC = String(Math.round(this.program.watchdogSeconds! * 1e6));
    return env;
  }

  /** Starts waiting for the check from the launch on (no-op without a ready_check). */
  begin(launchedPid: number, launchedAtMs: number, onAttempt?: (detail: string) => void): void {
    const check = this.program.readyCheck;
    if (!check) return;
    this.notify?.adopt(launchedPid);
    const probe =
      check.kind === 'notify'
        ? undefined
        : readyProbe({
            check,
            statuses: this.program.readyCheckStatus ?? DEFAULT_READY_STATUS,
            timeoutMs: (this.program.readyCheckTimeout ?? 5) * 1000,
            env: { ...this.ctx.env, ...this.program.env },
            logs: this.logOffsets,
          });
    this.wait = awaitReady({
      check,
      ...(probe ? { probe } : {}),
      ...(this.notify ? { notify: this.notify } : {}),
      startedAtMs: launchedAtMs,
      intervalMs: (this.program.readyCheckInterval ?? 1) * 1000,
      timeoutMs: (this.program.readyTimeout ?? 60) * 1000,
      alive: () => !this.abandoned && (this.main === undefined || isSameProcess({ pid: this.main.pid, startTicks: this.main.startTicks })),
      ...(onAttempt ? { onAttempt } : {}),
    });
  }

  /** The program runs (success_seconds passed): wait for the check, watching this process. */
  async ready(main: ProcessInfo): Promise<ReadyWait> {
    this.main = main;
    this.notify?.adopt(main.pid);
    return this.wait ?? { kind: 'ready', afterMs: 0 };
  }

  /** MAINPID=N from the program, when N is a live process of ours. */
  announcedMain(): ProcessInfo | undefined {
    const pid = this.notify?.state.mainPid;
    const info = pid === undefined ? undefined : readProcess(pid);
    return info && info.uid === this.ctx.uid && info.state !== 'Z' ? info : undefined;
  }

  /** The launch failed or is over: stop waiting; close the socket unless someone kept it. */
  async finish(keepNotify?: (listener: NotifyListener) => void): Promise<void> {
    this.abandoned = true;
    await this.wait;
    if (this.notify && keepNotify) keepNotify(this.notify);
    else this.notify?.close();
  }
}

function sizeNow(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
