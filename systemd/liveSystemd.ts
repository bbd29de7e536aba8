import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/live-systemd.sh', import.meta.url));

export interface LiveSystemdOptions {
  /** Host folder for the script's state and mount points. */
  base: string;
  /** The container's name: its hostname and cgroup folder; unique per run. */
  name: string;
  /** Host folders bound in read-only at the same path. */
  binds: string[];
}

export class LiveSystemdError extends Error {
  constructor(what: string, result: SpawnSyncReturns<string>) {
    super(`${what}: exit ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`);
    this.name = 'LiveSystemdError';
  }
}

/**
 * A systemd booted by scripts/live-systemd.sh in private namespaces, driven from the host: every
 * command runs inside, as root or as a user with that user's manager and bus.
 */
export class LiveSystemd {
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: LiveSystemdOptions) {
    this.env = {
      ...process.env,
      SYSD_BASE: options.base,
      SYSD_NAME: options.name,
      SYSD_BINDS: options.binds.join(' '),
      // a test runner that dies takes the container with it
      SYSD_OWNER_PID: String(process.pid),
    };
  }

  /** Boots it; throws with the console log when systemd did not come up. */
  up(): string {
    const result = this.script(['up'], 90_000);
    if (result.status !== 0) throw new LiveSystemdError('booting systemd in private namespaces failed', result);
    return result.stdout;
  }

  /** Powers it off and checks that nothing of it is left: no process of its namespace, no cgroup. */
  down(): SpawnSyncReturns<string> {
    return this.script(['down'], 60_000);
  }

  root(args: string[], input?: string): SpawnSyncReturns<string> {
    return this.script(['sh', ...args], 60_000, input);
  }

  user(user: string, args: string[], input?: string): SpawnSyncReturns<string> {
    return this.script(['user', user, ...args], 60_000, input);
  }

  /** As root, and throws when the command fails. */
  rootOk(args: string[], input?: string): string {
    return ok(`${args.join(' ')} (as root)`, this.root(args, input));
  }

  /** As `user`, and throws when the command fails. */
  userOk(user: string, args: string[], input?: string): string {
    return ok(`${args.join(' ')} (as ${user})`, this.user(user, args, input));
  }

  /** The journal of the boot, as `down` saved it. */
  get journalFile(): string {
    return path.join(this.options.base, 'state', 'journal.log');
  }

  private script(args: string[], timeout: number, input?: string): SpawnSyncReturns<string> {
    return spawnSync('bash', [script, ...args], { env: this.env, encoding: 'utf8', input, timeout, killSignal: 'SIGKILL' });
  }
}

function ok(what: string, result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) throw new LiveSystemdError(what, result);
  return result.stdout;
}
