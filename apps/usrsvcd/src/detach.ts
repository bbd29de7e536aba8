import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPidfile } from '@usrsvc/launcher';
import { DAEMON_NODE_FLAGS } from './nodeFlags.js';

export interface DetachOptions {
  pidfile: string;
  /** usrsvcd_stdout / usrsvcd_stderr; unset means /dev/null. */
  stdoutFile?: string | undefined;
  stderrFile?: string | undefined;
  /** Extra arguments for the daemon (e.g. --debug); --foreground is added. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export type DetachResult = { code: 0; pid: number } | { code: number; pid?: number; reason: string };

/**
 * The script to run as the daemon: the entry script running now when it is a usrsvcd bin (this
 * package's dist/bin.js, or the usrsvc package's dist/usrsvcd.cjs, whose bundle's import.meta.url
 * points into the bundle and ./bin.js would be the usrsvc CLI), else this package's bin.
 */
export function daemonScript(): string {
  const current = process.argv[1];
  if (current?.split(path.sep).some((part) => part.includes('usrsvcd'))) return current as string;
  return fileURLToPath(new URL('./bin.js', import.meta.url));
}

function openAppend(file: string | undefined): number | 'ignore' {
  return file ? fs.openSync(file, 'a') : 'ignore';
}

/**
 * Starts the daemon in its own session (setsid) with no terminal, and resolves once it has written
 * its pidfile — or with its exit code if it exits first. The daemon is never our child for long:
 * we return and exit, and it is re-parented to init or the nearest subreaper.
 */
export async function startDetached(options: DetachOptions): Promise<DetachResult> {
  const out = openAppend(options.stdoutFile);
  const err = options.stderrFile && options.stderrFile !== options.stdoutFile ? openAppend(options.stderrFile) : out;
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, daemonScript(), ...(options.args ?? []), '--foreground'], {
    detached: true,
    stdio: ['ignore', out, err],
    env: options.env ?? process.env,
  });
  for (const fd of new Set([out, err])) if (typeof fd === 'number') fs.closeSync(fd);

  const pid = child.pid;
  if (pid === undefined) {
    return await new Promise((resolve) =>
      child.once('error', (error) => resolve({ code: 1, reason: `could not spawn usrsvcd: ${error.message}` })),
    );
  }

  let exited: number | undefined;
  child.once('exit', (code, signal) => {
    exited = code ?? (signal ? 128 : 1);
  });
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  try {
    for (;;) {
      if (readPidfile(options.pidfile) === pid) return { code: 0, pid };
      if (exited !== undefined) return { code: exited, pid, reason: `usrsvcd exited with code ${exited}` };
      if (Date.now() > deadline) return { code: 1, pid, reason: 'usrsvcd did not write its pidfile in time' };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.unref();
  }
}

