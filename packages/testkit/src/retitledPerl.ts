import fs from 'node:fs';
import type { Reaper } from './reaper.js';
import { startProcess } from './startProcess.js';
import { waitFor } from './waitFor.js';

/**
 * Starts perl rewriting its title to `title` ($0, as redis or gunicorn rename themselves) and
 * resolves with its PID once the title is whole. perl copies the title over argv first and sets
 * comm (prctl) after, so a wait on cmdline alone can return while comm is still "perl".
 */
export async function startRetitledPerl(reaper: Reaper, title: string, extraArgs: string[] = []): Promise<number> {
  const pid = startProcess(reaper, 'perl', ['-e', '$0 = shift; sleep 600', title, ...extraArgs], { detached: true });
  const read = (name: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/${name}`, 'utf8');
    } catch {
      return '';
    }
  };
  await waitFor(`perl ${pid} to take the title ${title}`, () => read('comm') === `${title.slice(0, 15)}\n` && read('cmdline').startsWith(title));
  return pid;
}
