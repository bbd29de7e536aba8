import fs from 'node:fs';
import {
  childrenOf,
  closedPort,
  type HomeProcess,
  httpGetBody as get,
  isSameLiveProcess as isSame,
  NGINX,
  nginxConfig,
  processGroupOf,
  type ReceivedMail,
  type SmtpTestServer,
  startSmtpTestServer,
  waitFor,
} from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

// Issue 14, point 5: a real nginx (Debian's nginx-light; CI installs it) run as a user-level
// service by the real usrsvcd. kill -9 of the master leaves its workers running, holding the port.
const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
const TO = 'ops@example.com';

let h: DaemonHarness;
let smtp: SmtpTestServer | undefined;
afterEach(async () => {
  await h.cleanup();
  await smtp?.close();
  smtp = undefined;
});

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORKER = 'nginx: worker process';

/** nginx with its own pidfile and logs in the temp HOME, two workers, serving "ok" on `port`. */
function writeNginx(port: number, settings: Record<string, string | number>): string {
  expect(fs.existsSync(NGINX), `${NGINX} is missing: install Debian's nginx-light`).toBe(true);
  const dir = h.home.path('nginx');
  const pidfile = h.home.path('web.pid');
  const conf = h.home.write('nginx/nginx.conf', nginxConfig({ dir, port, pidfile }));
  return h.writeProgram('web', `${NGINX} -p ${dir} -c ${conf} -e ${dir}/error.log`, {
    autopid: 'False',
    // nginx's master title holds its arguments: this HOME makes it this test's nginx only.
    proctitle_re: `^nginx: master process .*${escapeRe(dir)}`,
    ...settings,
  });
}

/** Starts usrsvcd and waits for nginx to serve; returns the master and its two workers (tracked). */
async function startServing(pidfile: string, port: number): Promise<{ master: number; workers: HomeProcess[] }> {
  await h.startDaemonAndWait(FAST);
  const master = await h.servicePid(pidfile);
  await waitFor('nginx to serve', () => get(port), { timeoutMs: 15_000 });
  const workers = await waitFor('two workers', () => childrenOf(master, WORKER).length === 2 && childrenOf(master, WORKER), { timeoutMs: 15_000 });
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
    expect(new Set(workers.map((w) => processGroupOf(w.pid)))).toEqual(new Set([master]));

    process.kill(master, 'SIGKILL');
    const newMaster = await h.servicePid(pidfile, master, 30_000);
    await waitFor('the new master to serve', async () => (await get(port)) === 'ok\n' && childrenOf(newMaster, WORKER).length === 2, { timeoutMs: 30_000 });
    for (const worker of childrenOf(newMaster, WORKER)) h.reaper.track(worker.pid);

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
