import fs from 'node:fs';
import http from 'node:http';
import { closedPort, type ReceivedMail, type SmtpTestServer, startSmtpTestServer, waitFor } from '@usrsvc/testkit';
import { readConfig } from '@usrsvc/config';
import { reloadProgram } from '@usrsvc/launcher';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

// Issue 14, point 5: a real nginx (Debian's nginx-light; CI installs it) run as a user-level
// service by the real usrsvcd. kill -9 of the master leaves its workers running, holding the port.
const NGINX = '/usr/sbin/nginx';
const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
const TO = 'ops@example.com';

let h: DaemonHarness;
let smtp: SmtpTestServer | undefined;
afterEach(async () => {
  await h.cleanup();
  await smtp?.close();
  smtp = undefined;
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

/** Still the same process (PID and start time) and not a zombie. */
function isSame(identity: Identity): boolean {
  const fields = statFields(identity.pid);
  return fields !== undefined && fields[19] === identity.startTicks && fields[0] !== 'Z' && fields[0] !== 'X';
}

/** The live children of `parent` whose title is nginx's worker title, from /proc. */
function workersOf(parent: number): Identity[] {
  const found: Identity[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields || Number(fields[1]) !== parent || fields[0] === 'Z') continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').startsWith('nginx: worker process')) {
        found.push({ pid: Number(entry), startTicks: fields[19]! });
      }
    } catch {
      // gone meanwhile
    }
  }
  return found;
}


/** The body of GET / on 127.0.0.1:port, or undefined when nothing answers. */
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

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** nginx with its own pidfile and logs in the temp HOME, two workers, serving "ok" on `port`. */
function writeNginx(port: number, settings: Record<string, string | number>): string {
  expect(fs.existsSync(NGINX), `${NGINX} is missing: install Debian's nginx-light`).toBe(true);
  const dir = h.home.path('nginx');
  fs.mkdirSync(`${dir}/tmp`, { recursive: true });
  const pidfile = h.home.path('web.pid');
  const conf = h.home.write(
    'nginx/nginx.conf',
    [
      'daemon on;',
      'worker_processes 2;',
      `pid ${pidfile};`,
      `error_log ${dir}/error.log;`,
      // As root, nginx would run its workers as nobody; a user-level service keeps them its own.
      process.getuid?.() === 0 ? 'user root root;' : '',
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/tmp/${kind};`),
      `  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }`,
      '}',
    ].join('\n'),
  );
  return h.writeProgram('web', `${NGINX} -p ${dir} -c ${conf} -e ${dir}/error.log`, {
    autopid: 'False',
    // nginx's master title holds its arguments: this HOME makes it this test's nginx only.
    proctitle_re: `^nginx: master process .*${escapeRe(dir)}`,
    ...settings,
  });
}

/** Starts usrsvcd and waits for nginx to serve; returns the master and its two workers (tracked). */
async function startServing(pidfile: string, port: number): Promise<{ master: number; workers: Identity[] }> {
  await h.startDaemonAndWait(FAST);
  const master = await h.servicePid(pidfile);
  await waitFor('nginx to serve', () => get(port), { timeoutMs: 15_000 });
  const workers = await waitFor('two workers', () => workersOf(master).length === 2 && workersOf(master), { timeoutMs: 15_000 });
  for (const worker of workers) h.reaper.track(worker.pid);
  // The crash to test comes after a successful start (success_seconds passed).
  await h.waitForLog(new RegExp(`\\(web\\) - started as pid ${master}`));
  return { master, workers };
}

describe('a crash of nginx under the real usrsvcd', () => {
  it('with stop_as_group: after kill -9 of the master, a new master serves again and no worker of the old tree remains', async () => {
    h = new DaemonHarness();
    const port = await closedPort();
    const pidfile = writeNginx(port, { stop_as_group: 'True' });
    const { master, workers } = await startServing(pidfile, port);
    // The workers stay in the master's group and session, which nginx's setsid gave the master.
    expect(new Set(workers.map((w) => statFields(w.pid)?.[2]))).toEqual(new Set([String(master)]));

    process.kill(master, 'SIGKILL');
    const newMaster = await h.servicePid(pidfile, master, 30_000);
    await waitFor('the new master to serve', async () => (await get(port)) === 'ok\n' && workersOf(newMaster).length === 2, { timeoutMs: 30_000 });
    for (const worker of workersOf(newMaster)) h.reaper.track(worker.pid);

    expect(newMaster).not.toBe(master);
    expect(workers.filter(isSame)).toEqual([]);
    expect(isLive(master)).toBe(false);
    expect(h.log()).toMatch(/web: stopping 2 leftover process\(es\) of its earlier run/);
    expect(h.log()).not.toMatch(/Address already in use/);
  });

  it('without stop_as_group: every restart fails on the port, and the log and the gave-up alert name the old workers', async () => {
    h = new DaemonHarness();
    smtp = await startSmtpTestServer();
    h.writeMain(`smtp_url = ${smtp.url}\nalert_interval = 0`);
    const port = await closedPort();
    const pidfile = writeNginx(port, { maxrestarts: 2, email_alerts: TO });
    const { master, workers } = await startServing(pidfile, port);

    process.kill(master, 'SIGKILL');
    const failed = await h.waitForLog(/\(web\) - ERROR: start attempt \d+ failed/, { timeoutMs: 30_000 });
    for (const worker of workers) expect(failed[0]).toContain(`[${worker.pid}] nginx: worker process`);
    expect(failed[0]).toContain('may hold its port');
    expect(fs.readFileSync(h.home.path('web.out'), 'utf8')).toContain('Address already in use');

    const mail = await waitFor(
      'the gave-up alert',
      () => smtp!.messages.find((m: ReceivedMail) => m.subject.startsWith('[usrsvc] web GAVE UP')),
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    for (const worker of workers) expect(mail.text).toContain(`[${worker.pid}] nginx: worker process`);
    // Nothing was signalled: the old workers still serve.
    expect(workers.every(isSame)).toBe(true);
    expect(await get(port)).toBe('ok\n');
  });
});

describe('usrsvc reload of nginx (reload_signal = HUP) under the real usrsvcd', () => {
  it('sends HUP to the master: new workers, same master PID, no restart counted and no crash logged', async () => {
    h = new DaemonHarness();
    const port = await closedPort();
    const pidfile = writeNginx(port, { reload_signal: 'HUP' });
    const { master, workers } = await startServing(pidfile, port);
    const program = readConfig({ env: h.env() }).programs.get('web')!;
    const before = (await h.api().programs()).find((p) => p.name === 'web')!;

    // What `usrsvc reload web` runs.
    const reloaded = await reloadProgram(program, { env: h.env() });
    expect(reloaded).toMatchObject({ code: 0, outcome: 'reloaded', process: { pid: master } });
    const fresh = await waitFor(
      'two new workers and the old ones gone',
      () => {
        const now = workersOf(master);
        return now.length === 2 && !workers.some(isSame) && now;
      },
      { timeoutMs: 30_000 },
    );
    for (const worker of fresh) h.reaper.track(worker.pid);
    expect(await get(port)).toBe('ok\n');
    expect(isLive(master)).toBe(true);
    const view = (await h.api().programs()).find((p) => p.name === 'web')!;
    expect(view).toMatchObject({ state: { state: 'running', pid: master }, restarts: before.restarts, restartCounts: before.restartCounts });
    expect(view.settings).toMatchObject({ reloadSignal: 'SIGHUP' });
    expect(h.log()).not.toMatch(/\(web\) - has stopped running/);
  });
});
