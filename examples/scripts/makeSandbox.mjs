// Copies examples/ into a sandbox HOME, replacing the placeholder /home/myusr with it, so the
// example configuration runs on any machine without touching the real HOME.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const examplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const placeholder = '/home/myusr';

export function makeSandbox(home = fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-demo-'))) {
  const base = path.join(home, 'usrsvc.d');
  for (const folder of ['cfg', 'bin', 'logs', 'pids', 'run']) fs.mkdirSync(path.join(base, folder), { recursive: true });
  const copy = (from, to) => fs.writeFileSync(to, fs.readFileSync(from, 'utf8').replaceAll(placeholder, home));
  copy(path.join(examplesDir, 'usrsvc.cfg'), path.join(home, 'usrsvc.cfg'));
  for (const folder of ['cfg', 'bin']) {
    for (const file of fs.readdirSync(path.join(examplesDir, folder))) {
      copy(path.join(examplesDir, folder, file), path.join(base, folder, file));
    }
  }
  return { home, base, pidfile: (name) => path.join(base, 'pids', `${name}.pid`) };
}
