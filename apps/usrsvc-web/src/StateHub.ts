import { type ActionResponse, type ApiClient, DaemonUnavailableError, type DaemonEvent, type ProgramAction, type ProgramView, type RereadOutcome } from '@usrsvc/api';
import type { LauncherSource } from './launcherSource.js';
import { type WebLogger, silentLogger } from './WebLogger.js';
import type { WebEvent, WebState } from './webState.js';

export interface StateHubOptions {
  client: ApiClient;
  launcher: LauncherSource;
  logger?: WebLogger;
  /** While usrsvcd is away: how often to try its socket again (ms, default 1000). */
  retryMs?: number;
  /** While usrsvcd is away: how often to read the status through the launcher (ms, default 2000). */
  launcherRefreshMs?: number;
}

/** No daemon to ask (reread needs usrsvcd). */
export class DaemonNotRunningError extends Error {
  readonly code = 'USRSVC_WEB_NO_DAEMON' as const;
  constructor(what: string) {
    super(`${what} needs usrsvcd, which is not running`);
    this.name = 'DaemonNotRunningError';
  }
}

/**
 * The one view every open page shares: usrsvcd's programs and daemon, followed through its event
 * stream; when usrsvcd is not running, the launcher's status read every few seconds, and the
 * socket tried every second until the daemon is back.
 */
export class StateHub {
  private current: WebState = { mode: 'launcher', daemon: null, daemonProblem: 'connecting to usrsvcd', programs: [], configErrors: [] };
  private readonly listeners = new Set<(event: WebEvent) => void>();
  private readonly abort = new AbortController();
  private readonly logger: WebLogger;
  private refreshing: Promise<void> | undefined;
  private launcherReadAt = 0;
  private running: Promise<void> | undefined;
  private firstView: Promise<void>;
  private resolveFirstView!: () => void;

  constructor(private readonly options: StateHubOptions) {
    this.logger = options.logger ?? silentLogger;
    this.firstView = new Promise((resolve) => {
      this.resolveFirstView = resolve;
    });
  }

  get state(): WebState {
    return this.current;
  }

  /** The view, read again through the launcher first when that is older than launcherRefreshMs. */
  async freshState(): Promise<WebState> {
    if (this.current.mode === 'launcher' && Date.now() - this.launcherReadAt >= (this.options.launcherRefreshMs ?? 2000)) await this.refreshLauncher();
    return this.current;
  }

  /** Resolves once the first view (daemon or launcher) is known. */
  ready(): Promise<void> {
    return this.firstView;
  }

  start(): void {
    this.running ??= this.run();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  subscribe(listener: (event: WebEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hasProgram(name: string): boolean {
    return this.current.programs.some((program) => program.name === name);
  }

  async act(name: string, action: ProgramAction): Promise<ActionResponse> {
    if (this.current.mode === 'daemon') {
      try {
        return await this.options.client.act(name, action);
      } catch (error) {
        if (!(error instanceof DaemonUnavailableError)) throw error;
      }
    }
    const response = await this.options.launcher.act(name, action);
    if (this.current.mode === 'launcher') await this.refreshLauncher();
    return response;
  }

  async reread(): Promise<RereadOutcome> {
    if (this.current.mode !== 'daemon') throw new DaemonNotRunningError('reread');
    return this.options.client.reread();
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    const retryMs = this.options.retryMs ?? 1000;
    const refreshMs = this.options.launcherRefreshMs ?? 2000;
    let announce = false;
    while (!signal.aborted) {
      let followed = await this.followDaemon(signal);
      // A stream that ended after a good connection is tried again at once, so that a dropped
      // connection is not shown as a stopped daemon; a failure to connect falls to the launcher.
      while (followed.connected && !signal.aborted) followed = await this.followDaemon(signal);
      const { problem } = followed;
      if (signal.aborted) break;
      if (this.current.mode === 'daemon' || this.current.daemonProblem !== problem) {
        this.logger.info(`${problem}: showing status through the launcher`);
        this.current = { ...this.current, mode: 'launcher', daemon: null, daemonProblem: problem };
        announce = true;
      }
      // The process table is read only for open pages (and on a change of source); /api/state reads it when stale.
      if (announce || (this.listeners.size > 0 && Date.now() - this.launcherReadAt >= refreshMs)) {
        await this.refreshLauncher(announce);
        announce = false;
      }
      await abortableDelay(retryMs, signal);
    }
  }

  /** Follows usrsvcd until its stream ends; returns whether it connected, and why it is not (or no longer) followed. */
  private async followDaemon(signal: AbortSignal): Promise<{ connected: boolean; problem: string }> {
    const { client } = this.options;
    let connected = false;
    const ended = (problem: string) => ({ connected, problem });
    try {
      const [daemon, programs] = await Promise.all([client.daemon(), client.programs()]);
      connected = true;
      if (this.current.daemon?.pid !== daemon.pid) this.logger.info(`following usrsvcd (pid ${daemon.pid}) on ${client.socket}`);
      this.current = { mode: 'daemon', daemon, daemonProblem: null, programs, configErrors: [] };
      this.emit({ type: 'snapshot', state: this.current });
      this.resolveFirstView();
      for await (const envelope of client.events({ signal })) this.apply(envelope.event);
      return ended('usrsvcd stopped');
    } catch (error) {
      if (error instanceof DaemonUnavailableError) return ended('usrsvcd is not running');
      if (signal.aborted) return ended('closing');
      return ended(connected || this.current.mode === 'daemon' ? 'usrsvcd stopped' : `usrsvcd's API failed: ${(error as Error).message}`);
    }
  }

  private apply(event: DaemonEvent): void {
    if (event.type === 'program') this.putProgram(event.program);
    else if (event.type === 'program-removed') this.removeProgram(event.name);
    else {
      this.current = { ...this.current, daemon: event.daemon };
      this.emit({ type: 'daemon', daemon: event.daemon });
    }
  }

  private putProgram(program: ProgramView): void {
    const programs = [...this.current.programs];
    const index = programs.findIndex((p) => p.name === program.name);
    if (index >= 0) programs[index] = program;
    else programs.push(program);
    this.current = { ...this.current, programs };
    this.emit({ type: 'program', program });
  }

  private removeProgram(name: string): void {
    this.current = { ...this.current, programs: this.current.programs.filter((p) => p.name !== name) };
    this.emit({ type: 'program-removed', name });
  }

  private refreshLauncher(fullSnapshot = false): Promise<void> {
    this.refreshing ??= this.readLauncher(fullSnapshot).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async readLauncher(fullSnapshot: boolean): Promise<void> {
    const { programs, errors } = await this.options.launcher.snapshot();
    this.launcherReadAt = Date.now();
    if (this.current.mode !== 'launcher') return;
    const before = this.current;
    const errorsChanged = JSON.stringify(errors) !== JSON.stringify(before.configErrors);
    this.current = { ...before, programs, configErrors: errors };
    this.resolveFirstView();
    if (fullSnapshot || errorsChanged) {
      this.emit({ type: 'snapshot', state: this.current });
      return;
    }
    const old = new Map(before.programs.map((p) => [p.name, comparable(p)]));
    for (const program of programs) if (old.get(program.name) !== comparable(program)) this.emit({ type: 'program', program });
    const names = new Set(programs.map((p) => p.name));
    for (const program of before.programs) if (!names.has(program.name)) this.emit({ type: 'program-removed', name: program.name });
  }

  private emit(event: WebEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function comparable(program: ProgramView): string {
  return JSON.stringify({ ...program, process: program.process ? { ...program.process, uptimeSeconds: 0 } : null });
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
