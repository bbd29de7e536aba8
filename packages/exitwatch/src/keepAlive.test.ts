import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Reaper, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { MODE_ENV } from './mode.js';
import { startSleep } from './test-support/processes.js';

const script = fileURLToPath(new URL('./test-support/watchInChild.mjs', import.meta.url));

describe.each(['auto', 'poll'])('keepAlive (%s mode, in a child Node process)', (mode) => {
  const reaper = new Reaper();
  afterEach(() => reaper.killAll());
  const env = { ...process.env, [MODE_ENV]: mode };

  it('a watch alone does not keep the event loop alive by default', () => {
    const pid = startSleep(600, reaper);
    const result = spawnSync(process.execPath, [script, String(pid), 'false'], { env, encoding: 'utf8', timeout: 10_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('watching\n');
  });

  it('with keepAlive: true the process waits for the exit, then ends', async () => {
    const pid = startSleep(600, reaper);
    const child = spawn(process.execPath, [script, String(pid), 'true'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    reaper.track(child.pid);
    let out = '';
    let exitCode: number | null | undefined;
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => {
      exitCode = code;
    });
    await waitFor('the child to start watching', () => out === 'watching\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exitCode).toBeUndefined();
    process.kill(pid, 'SIGKILL');
    await waitFor('the child to end', () => exitCode !== undefined);
    expect(exitCode).toBe(0);
    expect(out).toBe('watching\nexited\n');
  });
});
