import fs from 'node:fs';
import http from 'node:http';
import { readConfig } from '@usrsvc/config';
import { reloadProgram } from '@usrsvc/launcher';
import { closedPort, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

// Issue 21, point 7: a real gunicorn (Debian's python3-gunicorn) reloaded with reload_signal = HUP
// under the real usrsvcd: new workers, the same master PID, no restart and no crash.
const PYTHON = '/usr/bin/python3';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

interface Identity {
  pid: number;
  startTicks: string;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const isSame = (identity: Identity) => {
  const fields = statFields(identity.pid);
  return fields !== undefined && fields[19] === identity.startTicks && fields[0] !== 'Z' && fields[0] !== 'X';
};

/** The live children of `parent`: gunicorn's workers. */
function childrenOf(parent: number): Identity[] {
  const found: Identity[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === parent && fields[0] !== 'Z' && fields[0] !== 'X') found.push({ pid: Number(entry), startTicks: fields[19]! });
  }
  return found;
}

function get(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve(response.statusCode === 200 ? body : undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

describe('usrsvc reload of gunicorn (reload_signal = HUP) under the real usrsvcd', () => {
  it('HUP: new workers, the same master PID, no restart counted and no crash logged', async () => {
    h = new DaemonHarness();
    const probe = await import('node:child_process').then(({ spawnSync }) => spawnSync(PYTHON, ['-c', 'import gunicorn'], { encoding: 'utf8' }));
    expect(probe.status, `gunicorn is missing: install Debian's python3-gunicorn (${probe.stderr})`).toBe(0);
    const port = await closedPort();
    const app = h.home.write('app/hello.py', 'def application(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"ok\\n"]\n');
    const pidfile = h.writeProgram('gun', `${PYTHON} -m gunicorn --workers 2 --bind 127.0.0.1:${port} --chdir ${h.home.path('app')} hello:application`, {
      reload_signal: 'HUP',
      directory: h.home.path('app'),
    });
    expect(fs.existsSync(app)).toBe(true);
    await h.startDaemonAndWait({ USRSVCD_SCAN_INTERVAL_MS: '500' });
    const master = await h.servicePid(pidfile);
    await waitFor('gunicorn to serve', async () => (await get(port)) === 'ok\n', { timeoutMs: 30_000 });
    const workers = await waitFor('two workers', () => childrenOf(master).length === 2 && childrenOf(master), { timeoutMs: 30_000 });
    for (const worker of workers) h.reaper.track(worker.pid);
    await h.waitForLog(new RegExp(`\\(gun\\) - started as pid ${master}`));
    const before = (await h.api().programs()).find((p) => p.name === 'gun')!;

    const program = readConfig({ env: h.env() }).programs.get('gun')!;
    const reloaded = await reloadProgram(program, { env: h.env() });
    expect(reloaded).toMatchObject({ code: 0, outcome: 'reloaded', process: { pid: master } });
    const fresh = await waitFor(
      'two new workers and the old ones gone',
      () => {
        const now = childrenOf(master);
        return now.length === 2 && !workers.some(isSame) && now;
      },
      { timeoutMs: 30_000 },
    );
    for (const worker of fresh) h.reaper.track(worker.pid);
    await waitFor('the new workers to serve', async () => (await get(port)) === 'ok\n', { timeoutMs: 30_000 });
    expect(isLive(master)).toBe(true);
    const view = (await h.api().programs()).find((p) => p.name === 'gun')!;
    expect(view).toMatchObject({ state: { state: 'running', pid: master }, restarts: before.restarts, restartCounts: before.restartCounts });
    expect(h.log()).not.toMatch(/\(gun\) - has stopped running/);
  });
});
