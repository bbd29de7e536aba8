import fs from 'node:fs';
import { apiSocketPath } from '@usrsvc/api';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { isLive } from '../../usrsvcd/src/test-support/daemonHarness.js';
import { python, runClient, streamingClient, supervisorctl } from '../../usrsvcd/src/test-support/supervisorClients.js';
import { WebHarness } from './test-support/webHarness.js';

// Debian's supervisorctl, python3's xmlrpc.client and ansible's community.general.supervisorctl
// against usrsvc-web (HTTP Basic auth: any user, a token as the password) and usrsvcd's socket.
let h: WebHarness;
afterEach(async () => {
  await h.cleanup();
});

function ticker(name: string, settings: Record<string, string> = {}): string {
  return h.writeProgram(name, h.script(name, `while true; do echo "${name} out"; sleep 0.2; done`), settings);
}

describe("supervisor's XML-RPC through usrsvc-web", () => {
  it('an admin token acts, a read-only token reads and is refused (403, logged) what acts, a wrong token is asked to authenticate', async () => {
    h = new WebHarness();
    const pidfile = ticker('web');
    await h.startDaemonAndWait();
    const pid = await h.servicePid(pidfile);
    await h.startWeb();
    const url = `http://127.0.0.1:${h.port}`;
    const admin = { user: 'ops', password: h.token('admin') };
    const reader = { user: 'anyone', password: h.token('read-only') };

    await waitFor('web RUNNING through usrsvc-web', async () => /^web\s+RUNNING\s+pid \d+/m.test((await supervisorctl(url, ['status'], h.env(), reader)).stdout));
    expect(await supervisorctl(url, ['pid', 'web'], h.env(), reader)).toMatchObject({ code: 0, stdout: `${pid}\n` });
    const refused = await supervisorctl(url, ['stop', 'web'], h.env(), reader);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('403');
    expect(isLive(pid)).toBe(true);
    await waitFor('the refusal in the log', () => h.webLog.includes('refused POST /RPC2 from 127.0.0.1: 403 a read-only token cannot call supervisor.stopProcess'));
    // supervisorctl's own words on a 401 (it then retries once and reports the error), exit 1.
    for (const auth of [{ user: 'x', password: 'wrong-token-0123456789' }, undefined]) {
      const denied = await supervisorctl(url, ['status'], h.env(), auth);
      expect(denied.code).toBe(1);
      expect(denied.stdout).toMatch(/^Server requires authentication\n/);
    }

    // A multicall that hides a write inside is refused as a whole.
    const [multi, read] = await python(
      url,
      `
import base64
auth = {'content-type': 'text/xml', 'authorization': 'Basic ' + base64.b64encode(b'anyone:${reader.password}').decode()}
raw(xmlrpc.client.dumps(([{'methodName': 'supervisor.stopProcess', 'params': ['web']}],), 'system.multicall').encode(), auth)
raw(xmlrpc.client.dumps((), 'supervisor.getAPIVersion').encode(), auth)
`,
      h.env(),
    );
    expect(multi).toEqual({ http: 403 });
    expect(read).toEqual({ ok: '3.0' });

    expect(await supervisorctl(url, ['stop', 'web'], h.env(), admin)).toMatchObject({ code: 0, stdout: 'web: stopped\n' });
    expect(isLive(pid)).toBe(false);
    expect(await supervisorctl(url, ['start', 'web'], h.env(), admin)).toMatchObject({ code: 0, stdout: 'web: started\n' });
    const follow = streamingClient('supervisorctl', ['-s', url, '-u', 'ops', '-p', admin.password, 'tail', '-f', 'web'], h.env());
    try {
      fs.appendFileSync(h.home.path('web.out'), 'followed through usrsvc-web\n');
      await waitFor('tail -f through usrsvc-web', () => follow.output().includes('followed through usrsvc-web'));
    } finally {
      follow.stop();
    }
  });

  it("ansible's community.general.supervisorctl: started, stopped, restarted over usrsvcd's socket and through usrsvc-web", async () => {
    h = new WebHarness();
    const pidfile = ticker('app');
    ticker('other');
    const laterPidfile = ticker('later', { autostart: 'False' });
    await h.startDaemonAndWait();
    const pid = await h.servicePid(pidfile);
    await h.startWeb();
    const socketUrl = `unix://${apiSocketPath(h.stateDir)}`;
    const webUrl = `http://127.0.0.1:${h.port}`;
    const playbook = h.home.write(
      'playbook.yml',
      [
        '- hosts: localhost',
        '  connection: local',
        '  gather_facts: false',
        '  tasks:',
        `    - community.general.supervisorctl: { name: app, state: stopped, server_url: "${socketUrl}" }`,
        `    - community.general.supervisorctl: { name: app, state: started, server_url: "${socketUrl}" }`,
        `    - community.general.supervisorctl: { name: later, state: started, server_url: "${socketUrl}" }`,
        `    - community.general.supervisorctl: { name: other, state: restarted, server_url: "${webUrl}", username: ops, password: "${h.token('admin')}" }`,
        `    - community.general.supervisorctl: { name: app, state: started, server_url: "${socketUrl}" }`,
        '',
      ].join('\n'),
    );
    const env = h.env({ ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: h.home.path('ansible-tmp') });
    const run = await runClient('ansible-playbook', ['-i', 'localhost,', playbook], env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/localhost\s+: ok=5\s+changed=4\s+unreachable=0\s+failed=0/);
    expect(isLive(pid)).toBe(false);
    await h.servicePid(pidfile, pid);
    await h.servicePid(laterPidfile);
  });

  it('without usrsvcd, XML-RPC through usrsvc-web is a fault that says so (and the logtail a 503)', async () => {
    h = new WebHarness();
    ticker('web');
    await h.startWeb();
    const url = `http://127.0.0.1:${h.port}`;
    const status = await supervisorctl(url, ['status'], h.env(), { user: 'ops', password: h.token('admin') });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('usrsvcd is not running');
    const tail = await fetch(`${url}/mainlogtail`, { headers: { authorization: `Basic ${Buffer.from(`ops:${h.token('admin')}`).toString('base64')}` } });
    expect(tail.status).toBe(503);
  });
});

