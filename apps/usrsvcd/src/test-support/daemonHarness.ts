import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiClient, apiSocketPath, createApiClient } from '@usrsvc/api';
import { DAEMON_NODE_FLAGS } from '../nodeFlags.js';
import { makeTempHome, Reaper, readPidfile, type TempHome, waitFor } from '@usrsvc/testkit';
import { type ClientResult, runClient } from './supervisorClients.js';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export type CliResult = ClientResult;

/** A temporary HOME with a usrsvc.cfg, a daemon to start in it, and cleanup of every process by PID. */
export class DaemonHarness {
  readonly home: TempHome;
  readonly reaper = new Reaper();
  readonly pidfile: string;
  readonly logFile: string;
  readonly confDir: string;
  private readonly daemons: ChildProcess[] = [];
  private readonly servicePidfiles = new Set<string>();
  private serial = 0;

  constructor(private readonly extraEnv: NodeJS.ProcessEnv = {}) {
    this.home = makeTempHome('usrsvcd-test-');
    this.pidfile = this.home.path('usrsvcd.pid');
    this.logFile = this.home.path('usrsvcd.log');
    this.confDir = this.home.path('conf.d');
    fs.mkdirSync(this.confDir);
    this.writeMain();
  }

  /** The daemon's state folder (locks, user-stop marks, the API socket) in this HOME. */
  get stateDir(): string {
    return this.home.path('.local', 'state', 'usrsvc');
  }

  /** A client of the daemon's local API. */
  api(): ApiClient {
    return createApiClient({ socket: apiSocketPath(this.stateDir) });
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return this.home.env({ ...this.extraEnv, ...extra });
  }

  writeMain(extra = ''): void {
    this.home.write(
      'usrsvc.cfg',
      `[Main]\npidfile = ${this.pidfile}\nusrsvcd_stdout = ${this.logFile}\nusrsvcd_stderr = stdout\nconfig_dir = ${this.confDir}\n${extra}\n`,
    );
  }

  /** A command unique to this test (other suites run sleeps too, under the same uid). */
  uniqueSleep(): string {
    this.serial += 1;
    const frac = `${process.pid % 1000}${Date.now() % 100000}${this.serial}`.padStart(9, '0');
    return `sleep 86400.${frac}`;
  }

  /** A shell script in the temp HOME (its path makes its command line unique). */
  script(name: string, body: string): string {
    const file = this.home.write(`${name}.sh`, `#!/bin/sh\n${body}\n`, 0o755);
    return `/bin/sh ${file}`;
  }

  /** Writes conf.d/NAME.cfg with a [Program:NAME] section; returns the program's pidfile. */
  writeProgram(name: string, command: string, settings: Record<string, string | number> = {}): string {
    const pidfile = this.home.path(`${name}.pid`);
    this.servicePidfiles.add(pidfile);
    const lines = [
      `[Program:${name}]`,
      `command = ${command}`,
      `pidfile = ${pidfile}`,
      `stdout = ${this.home.path(`${name}.out`)}`,
      'success_seconds = 0.3',
      'term_to_kill_seconds = 2',
      ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`),
    ];
    fs.writeFileSync(path.join(this.confDir, `${name}.cfg`), `${lines.join('\n')}\n`);
    return pidfile;
  }

  removeProgram(name: string): void {
    fs.rmSync(path.join(this.confDir, `${name}.cfg`), { force: true });
  }

  /** Starts `usrsvcd --foreground`; its pid is tracked for cleanup. */
  startDaemon(extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, BIN, '--foreground'], { env: this.env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', () => undefined);
    child.stderr?.on('data', (chunk: Buffer) => fs.appendFileSync(this.home.path('usrsvcd.console'), chunk));
    this.reaper.track(child.pid);
    this.daemons.push(child);
    return child;
  }

  /** Starts the daemon and waits until it has written its pidfile. */
  async startDaemonAndWait(extraEnv: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
    const child = this.startDaemon(extraEnv);
    await waitFor('usrsvcd pidfile', () => readPidfile(this.pidfile) === child.pid, { timeoutMs: 15_000 });
    // The pidfile is claimed before the API listens; tests may talk to the API at once.
    await waitFor('usrsvcd API socket', () => fs.existsSync(apiSocketPath(this.stateDir)), { timeoutMs: 15_000 });
    return child;
  }

  /** `usrsvcd ARGS` run to its end in this HOME. */
  runCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return runClient(process.execPath, [BIN, ...args], this.env(extraEnv));
  }

  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  logLines(re: RegExp): string[] {
    return this.log()
      .split('\n')
      .filter((line) => re.test(line));
  }

  /** Waits until at least `count` log lines match. */
  waitForLog(re: RegExp, { count = 1, timeoutMs = 15_000 } = {}): Promise<string[]> {
    return waitFor(`${count} log line(s) matching ${re}`, () => {
      const lines = this.logLines(re);
      return lines.length >= count ? lines : undefined;
    }, { timeoutMs, intervalMs: 50 });
  }

  /** The pid in a service's pidfile, once it names a live process; tracked for cleanup. */
  async servicePid(pidfile: string, other?: number, timeoutMs = 15_000): Promise<number> {
    const pid = await waitFor(`a running process in ${pidfile}`, () => {
      const p = readPidfile(pidfile);
      return p !== undefined && p !== other && isLive(p) ? p : undefined;
    }, { timeoutMs });
    this.reaper.track(pid);
    return pid;
  }

  trackServices(): void {
    for (const file of this.servicePidfiles) this.reaper.trackPidfile(file);
  }

  /**
   * Stops every daemon with SIGTERM first (so a start in flight records its service's pid), then
   * SIGKILLs every tracked process by PID.
   */
  async cleanup(): Promise<void> {
    const daemonPids = new Set<number>(this.daemons.map((d) => d.pid ?? 0));
    const fromPidfile = readPidfile(this.pidfile);
    if (fromPidfile && isLive(fromPidfile) && cmdlineOf(fromPidfile).includes('usrsvcd')) {
      daemonPids.add(fromPidfile);
      this.reaper.track(fromPidfile);
    }
    for (const pid of daemonPids) {
      if (pid > 1 && isLive(pid)) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone
        }
      }
    }
    await waitFor('daemons to stop', () => [...daemonPids].every((pid) => pid <= 1 || !isLive(pid)), { timeoutMs: 6_000 }).catch(
      () => undefined,
    );
    this.trackServices();
    this.reaper.killAll();
    this.home.remove();
  }
}

function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

export function isLive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function exitOf(child: ChildProcess, timeoutMs = 15_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid} did not exit in ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
