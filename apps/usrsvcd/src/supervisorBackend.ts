import { spawn } from 'node:child_process';
import os from 'node:os';
import type { ActionResultView, ProgramAction, ProgramView } from '@usrsvc/api';
import type { ProgramConfig } from '@usrsvc/config';
import { clearStoppedByUser, type LaunchContext } from '@usrsvc/launcher';
import { type ConfigChanges, groupOf, RpcFault, type SupervisorBackend, type XmlRpcValue } from '@usrsvc/supervisor-rpc';
import { diffPrograms } from './configDiff.js';
import { daemonScript } from './detach.js';
import { ConfigLoadError, type LoadedConfig, loadConfig } from './loadConfig.js';
import { DAEMON_NODE_FLAGS } from './nodeFlags.js';
import { daemonVersion } from './version.js';

/** What the adapter needs of the daemon: its state views, its actions, its configuration. */
export interface SupervisedDaemon {
  programViews(): ProgramView[];
  programView(name: string): ProgramView | undefined;
  act(name: string, action: ProgramAction): Promise<{ results: ActionResultView[] } | undefined>;
  signal(name: string, signal: NodeJS.Signals): Promise<'sent' | 'not-running' | 'not-permitted'>;
  readonly configInForce: LoadedConfig;
  /** Puts a configuration into force on the next pass; resolves once it is. */
  applyConfig(next: LoadedConfig, why: string): Promise<void>;
  stop(reason: string): Promise<void>;
}

function withPrograms(base: LoadedConfig, programs: Map<string, ProgramConfig>): LoadedConfig {
  return { ...base, config: { ...base.config, programs } };
}

/**
 * supervisord's XML-RPC methods over usrsvcd: the one state (program views), the launcher's
 * actions (act), and the configuration in force. reloadConfig only reads the files, as
 * supervisord's does; addProcessGroup / removeProcessGroup put one program's change into force,
 * as supervisorctl update asks.
 */
export class DaemonSupervisorBackend implements SupervisorBackend {
  /** The configuration as last read by reloadConfig (not in force until added). */
  private read: LoadedConfig | undefined;

  constructor(
    private readonly daemonRef: SupervisedDaemon,
    private readonly env: NodeJS.ProcessEnv,
    private readonly ctx: LaunchContext,
  ) {}

  daemon() {
    return { pid: process.pid, version: daemonVersion(), identification: 'usrsvcd' };
  }

  programs(): ProgramView[] {
    return this.daemonRef.programViews();
  }

  program(name: string): ProgramView | undefined {
    return this.daemonRef.programView(name);
  }

  async act(name: string, action: 'start' | 'stop'): Promise<ActionResultView> {
    const response = await this.daemonRef.act(name, action);
    const result = response?.results[0];
    if (!result) throw new RpcFault('BAD_NAME', name);
    return result;
  }

  signal(name: string, signal: NodeJS.Signals) {
    return this.daemonRef.signal(name, signal);
  }

  mainLogFile(): string | undefined {
    return this.daemonRef.configInForce.config.main.usrsvcdStdout;
  }

  async reloadConfig(): Promise<ConfigChanges> {
    let next: LoadedConfig;
    try {
      next = await loadConfig(this.env);
    } catch (error) {
      return { error: error instanceof ConfigLoadError ? error.problems.join('; ') : String(error) };
    }
    this.read = next;
    const diff = diffPrograms(this.daemonRef.configInForce.config.programs, next.config.programs);
    return { added: diff.added, changed: diff.changed.map((c) => c.name), removed: diff.removed };
  }

  async addProgram(name: string): Promise<'added' | 'already-added' | 'no-such-program'> {
    const current = this.daemonRef.configInForce;
    const program = (this.read ?? current).config.programs.get(name);
    if (!program) return 'no-such-program';
    const inForce = current.config.programs.get(name);
    if (inForce && diffPrograms(new Map([[name, inForce]]), new Map([[name, program]])).changed.length === 0) return 'already-added';
    const programs = new Map(current.config.programs);
    programs.set(name, program);
    // supervisord starts an added group that has autostart; update stopped it first: let it start again.
    if (program.autoStart && program.enabled) clearStoppedByUser(name, this.ctx);
    await this.daemonRef.applyConfig(withPrograms(current, programs), `XML-RPC addProcessGroup ${name}`);
    return 'added';
  }

  async removeProgram(name: string): Promise<'removed' | 'still-running' | 'no-such-program'> {
    const current = this.daemonRef.configInForce;
    if (!current.config.programs.has(name)) return 'no-such-program';
    if (this.daemonRef.programView(name)?.process) return 'still-running';
    const programs = new Map(current.config.programs);
    programs.delete(name);
    await this.daemonRef.applyConfig(withPrograms(current, programs), `XML-RPC removeProcessGroup ${name}`);
    return 'removed';
  }

  configInfo(): Array<{ [key: string]: XmlRpcValue }> {
    const inForce = this.daemonRef.configInForce.config.programs;
    const programs = [...(this.read ?? this.daemonRef.configInForce).config.programs.values()].sort((a, b) => a.name.localeCompare(b.name));
    return programs.map((p) => ({
      autostart: p.autoStart,
      directory: 'none',
      uid: process.getuid?.() ?? 0,
      command: p.command,
      exitcodes: [0],
      group: groupOf(p.name),
      group_prio: 999,
      inuse: inForce.has(p.name),
      killasgroup: p.stopAsGroup,
      name: p.name,
      process_prio: 999,
      redirect_stderr: p.stderr === p.stdout,
      startretries: p.maxRestarts,
      startsecs: p.successSeconds,
      stdout_capture_maxbytes: 0,
      stdout_events_enabled: false,
      stdout_logfile: p.stdout,
      stdout_logfile_backups: p.logBackups,
      stdout_logfile_maxbytes: p.logMaxBytes,
      stdout_syslog: false,
      stopsignal: os.constants.signals[p.stopSignal] ?? 15,
      stopwaitsecs: p.termToKillSeconds,
      stderr_capture_maxbytes: 0,
      stderr_events_enabled: false,
      stderr_logfile: p.stderr,
      stderr_logfile_backups: p.logBackups,
      stderr_logfile_maxbytes: p.logMaxBytes,
      stderr_syslog: false,
      serverurl: 'AUTO',
    }));
  }

  shutdown(): void {
    void this.daemonRef.stop('XML-RPC supervisor.shutdown');
  }

  /** `usrsvcd restart` in a process of its own: it stops this daemon and starts a new one, which adopts every program. */
  restart(): void {
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, daemonScript(), 'restart'], { env: this.env, detached: true, stdio: 'ignore' });
    child.unref();
  }
}
