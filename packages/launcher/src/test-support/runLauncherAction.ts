import { type ChildProcess, spawn } from 'node:child_process';
import type { LauncherProgram } from '../LauncherProgram.js';

const script = new URL('./launcherAction.mjs', import.meta.url).pathname;

/** Starts `node launcherAction.mjs ACTION PROGRAM` (uses dist/: build first). */
export function spawnLauncherAction(action: 'start' | 'hold-lock', program: LauncherProgram, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [script, action, JSON.stringify({ ...program, proctitleRe: program.proctitleRe.source })], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Everything the process printed, once it has exited. */
export function outputOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('close', () => resolve(out));
  });
}

/** Resolves when the process has printed `text`. */
export function printed(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(text)) resolve();
    });
    child.on('close', () => reject(new Error(`exited without printing ${text}: ${out}`)));
  });
}
