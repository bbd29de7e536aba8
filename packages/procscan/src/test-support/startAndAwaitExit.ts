import { spawn } from 'node:child_process';

/** Resolves once the process has exited and its parent (this test process) has reaped it. */
export function startAndAwaitExit(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid ?? -1));
  });
}
