import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, run as users run it: `node apps/usrsvc/dist/usrsvc.cjs ...`. */
export const BIN = fileURLToPath(new URL('../../dist/usrsvc.cjs', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
}

export interface RunCliOptions {
  env: NodeJS.ProcessEnv;
  /** Called once the CLI process exists (its PID is also its process group: it runs detached). */
  onSpawn?: (pid: number) => void;
  /** Another copy of the bin (default BIN). */
  bin?: string;
}

/** Runs the CLI in its own process group (so a test can signal the group) and collects its output. */
export function runCli(args: readonly string[], { env, onSpawn, bin = BIN }: RunCliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('spawn', () => onSpawn?.(child.pid!));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid! }));
  });
}
