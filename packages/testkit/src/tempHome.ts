import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killProcessesOfHome } from './processesOfHome.js';

export interface TempHome {
  dir: string;
  /** Writes a file below the home (creating folders) and returns its absolute path. */
  write(relativePath: string, content: string, mode?: number): string;
  path(...parts: string[]): string;
  /** An environment for child processes: this HOME, no XDG_RUNTIME_DIR, no USRSVC_CONFIG. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Ends every process still running with this HOME or below it (by PID, checked by start time:
   * what a daemon started after the test last looked included), then deletes the folder.
   */
  remove(): void;
}

export function makeTempHome(prefix = 'usrsvc-test-'): TempHome {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  return {
    dir,
    write(relativePath, content, mode) {
      const file = path.join(dir, relativePath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, mode === undefined ? undefined : { mode });
      return file;
    },
    path: (...parts) => path.join(dir, ...parts),
    env(extra = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, ...extra };
      if (!('XDG_RUNTIME_DIR' in extra)) delete env.XDG_RUNTIME_DIR;
      if (!('USRSVC_CONFIG' in extra)) delete env.USRSVC_CONFIG;
      delete env.NO_COLOR;
      delete env.FORCE_COLOR;
      return env;
    },
    remove() {
      killProcessesOfHome(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
