import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRunning, readPidfile, waitFor } from '@usrsvc/testkit';
import type { CliTestHome } from './cliTestHome.js';

/** The bundled daemon the package installs, run as users run it. */
export const USRSVCD = fileURLToPath(new URL('../../dist/usrsvcd.cjs', import.meta.url));

/** A real `usrsvcd --foreground` in a CliTestHome: started once its API listens, stopped by PID. */
export interface RunningUsrsvcd {
  child: ChildProcess;
  /** SIGTERM, and waits for it to exit. */
  stop(): Promise<void>;
}

const started = new Set<RunningUsrsvcd>();

/** Stops every usrsvcd startUsrsvcd started (call in afterEach, before the CliTestHome's cleanup). */
export async function stopStartedUsrsvcds(): Promise<void> {
  for (const daemon of started) await daemon.stop();
  started.clear();
}

/** Starts usrsvcd in the test's HOME (tracked by its Reaper, stopped by stopStartedUsrsvcds) and waits until its API socket exists. */
export async function startUsrsvcd(t: CliTestHome, env: NodeJS.ProcessEnv = { USRSVCD_SCAN_INTERVAL_MS: '500' }): Promise<RunningUsrsvcd> {
  const child = spawn(process.execPath, [USRSVCD, '--foreground'], { env: t.home.env(env), stdio: 'ignore' });
  t.reaper.track(child.pid);
  const daemon: RunningUsrsvcd = {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  started.add(daemon);
  const socket = t.home.path('.local', 'state', 'usrsvc', 'usrsvcd.sock');
  await waitFor('the API socket', () => fs.existsSync(socket), { timeoutMs: 15_000 });
  return daemon;
}

/** The live PID in `pidfile`, once there is one other than `other`. */
export function livePid(pidfile: string, other?: number, timeoutMs = 20_000): Promise<number> {
  return waitFor(`a running process in ${pidfile}`, () => {
    const pid = readPidfile(pidfile);
    return pid !== undefined && pid !== other && isRunning(pid) && pid;
  }, { timeoutMs });
}
