import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reaper } from '@usrsvc/testkit';
import { waitFor } from '@usrsvc/testkit';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'numberedWriter.mjs');

export interface WriterProcess {
  pid: number;
  /** SIGTERM, then the last number written. */
  stop(): Promise<number>;
}

/**
 * Starts numberedWriter.mjs: `stdout` mode through `sh -c 'exec ... >> FILE'` (the launcher's
 * O_APPEND redirection), or `own` mode where it opens FILE itself without O_APPEND.
 */
export async function startWriter(
  reaper: Reaper,
  file: string,
  how: { mode: 'stdout' } | { mode: 'own'; reopenSignal?: 'HUP' | 'USR1' },
): Promise<WriterProcess> {
  const done = `${file}.done-${Math.random().toString(36).slice(2)}`;
  const args = how.mode === 'stdout' ? ['stdout'] : ['own', file, ...(how.reopenSignal ? [how.reopenSignal] : [])];
  const command = how.mode === 'stdout' ? `exec "${process.execPath}" "$0" "$@" >> "${file}"` : `exec "${process.execPath}" "$0" "$@"`;
  const child = spawn('/bin/sh', ['-c', command, script, ...args], { stdio: 'ignore', env: { ...process.env, DONE_FILE: done } });
  const pid = child.pid!;
  reaper.track(pid);
  await waitFor('the writer to start', () => fs.existsSync(`${done}.ready`));
  return {
    pid,
    async stop() {
      process.kill(pid, 'SIGTERM');
      const last = await waitFor('the writer to finish', () => fs.existsSync(done) && fs.readFileSync(done, 'utf8'));
      await waitFor('the writer to exit', () => child.exitCode !== null);
      fs.rmSync(done, { force: true });
      fs.rmSync(`${done}.ready`, { force: true });
      return Number(last);
    },
  };
}
