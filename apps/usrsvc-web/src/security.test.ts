import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, rawRequest, WebHarness } from './test-support/webHarness.js';

// usrsvc-web without usrsvcd: every refusal of the security model, over real HTTP.
describe('usrsvc-web security model', () => {
  let h: WebHarness;

  beforeEach(async () => {
    h = new WebHarness();
    h.writeProgram('svc', h.uniqueSleep());
    await h.startWeb();
  });

  afterEach(async () => {
    await h.cleanup();
  });

  const host = () => `127.0.0.1:${h.port}`;
  const cookieFor = async (token: string) => {
    const exchanged = await rawRequest(h.port, 'GET', `/?token=${token}`, { host: host() });
    expect(exchanged.status).toBe(303);
    expect(exchanged.headers.location).toBe('/');
    const cookie = String(exchanged.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    return cookie.split(';')[0]!;
  };

  it('keeps its tokens 0600 in the 0700 state folder, and `url` prints the loopback address with the token', () => {
    const stateDir = h.home.path('.local/state/usrsvc');
    expect(fs.statSync(stateDir).mode & 0o777).toBe(0o700);
    for (const file of ['web-token', 'web-readonly-token', 'web-metrics-token']) {
      expect(fs.statSync(`${stateDir}/${file}`).mode & 0o777).toBe(0o600);
    }
    expect(h.pageUrl()).toBe(`http://127.0.0.1:${h.port}/?token=${h.token()}`);
  });

  it('answers 401 without a token or with a wrong one, and logs it', async () => {
    for (const path of ['/', '/app.js', '/api/state', '/api/events', '/metrics']) {
      expect((await rawRequest(h.port, 'GET', path, { host: host() })).status).toBe(401);
    }
    expect((await rawRequest(h.port, 'GET', '/api/state', { host: host(), authorization: 'Bearer nope' })).status).toBe(401);
    expect((await rawRequest(h.port, 'GET', '/?token=nope', { host: host() })).status).toBe(401);
    expect((await rawRequest(h.port, 'POST', '/api/programs/svc/start', { host: host(), 'x-usrsvc-csrf': '1' })).status).toBe(401);
    await waitFor('the refusals in the log', () => h.webLog.includes('401 wrong token'));
    expect(h.webLog).toMatch(/refused GET \/api\/state from 127\.0\.0\.1: 401 no token/);
    expect(h.pidOf('svc')).toBeUndefined();
  });

  it('exchanges the URL token for a SameSite=Strict HttpOnly cookie, and sends a strict CSP', async () => {
    const cookie = await cookieFor(h.token());
    const page = await rawRequest(h.port, 'GET', '/', { host: host(), cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/app.js">');
    expect(page.body).not.toMatch(/<script>|\son[a-z]+=/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a foreign Origin (403), a POST without the anti-CSRF header (403) and an unknown Host (403), and logs them', async () => {
    const cookie = await cookieFor(h.token());
    const post = (headers: Record<string, string>) => rawRequest(h.port, 'POST', '/api/programs/svc/start', { host: host(), cookie, ...headers });
    expect((await post({ origin: 'http://evil.example', 'x-usrsvc-csrf': '1' })).status).toBe(403);
    expect((await post({ origin: `http://localhost:${h.port}`, 'x-usrsvc-csrf': '1' })).status).toBe(403);
    expect((await post({ 'x-usrsvc-csrf': '1' })).status).toBe(403);
    expect((await post({ origin: `http://${host()}` })).status).toBe(403);
    expect((await post({ origin: `http://${host()}`, 'x-usrsvc-csrf': '1', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // DNS rebinding: evil.example resolving to 127.0.0.1 brings the browser here with its own Host.
    expect((await rawRequest(h.port, 'GET', '/api/state', { host: `evil.example:${h.port}`, cookie })).status).toBe(403);
    expect((await rawRequest(h.port, 'GET', '/api/state', { host: `evil.example:${h.port}`, authorization: `Bearer ${h.token()}` })).status).toBe(403);
    await waitFor('the refusals in the log', () => h.webLog.includes('unknown Host'));
    expect(h.webLog).toMatch(/refused POST \/api\/programs\/svc\/start from 127\.0\.0\.1: 403 foreign Origin "http:\/\/evil\.example"/);
    expect(h.pidOf('svc')).toBeUndefined();
  });

  it('changes nothing on a GET, acts on a same-origin POST, and a read-only token only reads', async () => {
    for (const path of ['/api/programs/svc/start', '/api/programs/all/start', '/api/reread', '/api/programs/svc/start?x=1']) {
      expect((await h.request(path)).status).toBe(404);
    }
    expect(h.pidOf('svc')).toBeUndefined();

    const readOnly = h.token('read-only');
    expect((await h.request('/api/state', { token: readOnly })).status).toBe(200);
    const refused = await h.request('/api/programs/svc/start', { method: 'POST', token: readOnly, headers: { 'x-usrsvc-csrf': '1' } });
    expect(refused.status).toBe(403);
    expect((await h.request('/api/state', { token: h.token('metrics') })).status).toBe(401);
    expect(h.pidOf('svc')).toBeUndefined();

    const cookie = await cookieFor(h.token());
    const started = await rawRequest(h.port, 'POST', '/api/programs/svc/start', {
      host: host(),
      cookie,
      origin: `http://${host()}`,
      'x-usrsvc-csrf': '1',
      'sec-fetch-site': 'same-origin',
    });
    expect(started.status).toBe(200);
    expect(JSON.parse(started.body)).toMatchObject({ code: 0, results: [{ name: 'svc', outcome: 'started' }] });
    const pid = await h.servicePid(h.home.path('svc.pid'));
    const state = await (await h.request('/api/state')).json();
    expect(state).toMatchObject({ mode: 'launcher', daemonProblem: 'usrsvcd is not running' });
    await waitFor('the view to show the pid', async () => {
      const view = (await (await h.request('/api/state')).json()) as { programs: { process: { pid: number } | null }[] };
      return view.programs[0]?.process?.pid === pid;
    });
  });

  it('takes no path, command or configuration: unknown programs and actions are 404, bodies are ignored', async () => {
    const post = (path: string, body?: string) => h.request(path, { method: 'POST', headers: { 'x-usrsvc-csrf': '1', 'content-type': 'application/json' }, body });
    expect((await post('/api/programs/..%2F..%2Fetc%2Fpasswd/start')).status).toBe(404);
    expect((await post('/api/programs/svc/exec', '{"command":"touch /tmp/x"}')).status).toBe(404);
    expect((await post('/api/config', '{"config_dir":"/tmp"}')).status).toBe(404);
    expect((await h.request('/api/programs/svc/logs?path=/etc/passwd')).status).toBe(200);
    expect(JSON.stringify(await (await h.request('/api/state')).json())).not.toMatch(/"env"|PATH=/);
  });
});

describe('usrsvc-web listen address', () => {
  let h: WebHarness;

  beforeEach(() => {
    h = new WebHarness();
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it('refuses a non-loopback address without TLS, and with TLS but without --allow-remote', () => {
    const plain = h.webCli(['--listen', '0.0.0.0:9']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('not a loopback address, and no TLS certificate and key are configured');
    const { cert, key } = selfSignedCert(h);
    const noFlag = h.webCli(['--listen', '0.0.0.0:9', '--tls-cert', cert, '--tls-key', key]);
    expect(noFlag.code).toBe(1);
    expect(noFlag.stderr).toContain('add --allow-remote');
  });

  it('serves HTTPS beyond loopback with a certificate, a key and --allow-remote', async () => {
    const { cert, key } = selfSignedCert(h);
    h.port = await freePort();
    await h.startWeb(['--listen', `0.0.0.0:${h.port}`, '--tls-cert', cert, '--tls-key', key, '--allow-remote', '--server-name', 'dash.example']);
    expect(h.webLog).toContain(`listening on https://dash.example:${h.port}`);
  });
});

function selfSignedCert(h: WebHarness): { cert: string; key: string } {
  const cert = h.home.path('web.pem');
  const key = h.home.path('web.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=dash.example'], {
    stdio: 'ignore',
  });
  return { cert, key };
}
