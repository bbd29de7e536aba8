import net from 'node:net';
import os from 'node:os';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter } from './createAlerter.js';
import { type SmtpTestServer, startSmtpTestServer } from '@usrsvc/testkit';
import { memoryLogger } from './test-support/index.js';
import type { AlertEvent, Alerter } from './types.js';

const account = os.userInfo().username;
const host = os.hostname();

const event = (overrides: Partial<AlertEvent> = {}): AlertEvent => ({
  program: 'worker',
  recipients: ['ops@example.com', 'oncall@example.com'],
  kind: 'monitor-restart',
  reason: 'activityfile /srv/worker/beat not modified for 130 s (limit 120 s)',
  time: new Date('2026-05-06T07:08:09.000Z'),
  ...overrides,
});

/** A 127.0.0.1 port with nothing listening (bound, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createAlerter through SMTP (smtp-server on 127.0.0.1)', () => {
  let home: TempHome;
  let server: SmtpTestServer | undefined;
  let alerter: Alerter | undefined;

  beforeEach(() => {
    home = makeTempHome('usrsvc-alerts-');
  });
  afterEach(async () => {
    await alerter?.close();
    await server?.close();
    alerter = undefined;
    server = undefined;
    home.remove();
  });

  it('delivers to the mailbox: envelope, headers, body and stderr tail', async () => {
    server = await startSmtpTestServer();
    const stderrFile = home.write('worker.err', 'Traceback (most recent call last):\nValueError: bad beat\n');
    const logger = memoryLogger();
    alerter = createAlerter({ smtpUrl: server.url, logger, sendmailPath: home.path('no-sendmail') });
    alerter.notify(event({ stderrFile }));
    await alerter.flush();
    const [mail] = await server.waitForMessages(1);
    expect(mail?.envelopeFrom).toBe(`${account}@${host}`);
    expect(mail?.envelopeTo).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(mail?.from).toBe(`${account}@${host}`);
    expect(mail?.to).toBe('ops@example.com, oncall@example.com');
    expect(mail?.subject).toBe(
      `[usrsvc] worker restarted by monitor on ${account}@${host}: activityfile /srv/worker/beat not modified for 130 s (limit 120 s)`,
    );
    expect(mail?.text).toContain('was restarted by a monitor');
    expect(mail?.text).toContain('Event:   monitor-restart\n');
    expect(mail?.text).toContain('Time:    2026-05-06T07:08:09.000Z\n');
    expect(mail?.text).toContain('  Traceback (most recent call last):\n  ValueError: bad beat\n');
    expect(logger.messages('error')).toEqual([]);
    expect(logger.messages('warn')).toEqual([]);
  });

  it('authenticates with the credentials in smtp_url (AUTH PLAIN), and fails clearly with wrong ones', async () => {
    server = await startSmtpTestServer({ auth: { user: 'alerts', pass: 'p@ss:word' } });
    alerter = createAlerter({ smtpUrl: server.url, from: 'usrsvc@example.com' });
    alerter.notify(event());
    await alerter.flush();
    const [mail] = await server.waitForMessages(1);
    expect(mail?.user).toBe('alerts');
    expect(mail?.from).toBe('usrsvc@example.com');

    const logger = memoryLogger();
    const wrong = createAlerter({ smtpUrl: `smtp://alerts:wrong@127.0.0.1:${server.port}`, logger, retries: 0 });
    wrong.notify(event());
    await wrong.flush();
    await wrong.close();
    expect(server.messages).toHaveLength(1);
    const [error] = logger.messages('error');
    expect(error).toMatch(/not sent through SMTP smtp:\/\/alerts:\*\*\*@127\.0\.0\.1:\d+ after 1 attempt: Invalid login/);
    expect(error).not.toContain('wrong');
  });

  it('with the server down: notify returns at once, retries back off, then the failure is logged', async () => {
    const port = await freePort();
    const logger = memoryLogger();
    alerter = createAlerter({ smtpUrl: `smtp://127.0.0.1:${port}`, logger, retries: 2, retryDelayMs: 100 });
    const before = performance.now();
    alerter.notify(event());
    const returnedAt = performance.now();
    expect(logger.entries.filter((entry) => entry.level !== 'debug')).toEqual([]);
    await alerter.flush();

    const warnings = logger.entries.filter((entry) => entry.level === 'warn');
    const errors = logger.entries.filter((entry) => entry.level === 'error');
    expect(warnings.map((entry) => entry.message)).toEqual([
      expect.stringMatching(/attempt 1 through SMTP .* failed \(.*ECONNREFUSED.*\); retrying in 100 ms/),
      expect.stringMatching(/attempt 2 through SMTP .* failed .*retrying in 200 ms/),
    ]);
    expect(errors.map((entry) => entry.message)).toEqual([expect.stringMatching(/after 3 attempts: .*ECONNREFUSED/)]);
    // Every attempt ended after notify had returned.
    expect(warnings[0]!.at).toBeGreaterThan(returnedAt);
    expect(returnedAt - before).toBeLessThan(warnings[0]!.at - before);
    // Exponential backoff: at least 100 ms, then at least 200 ms, between attempts.
    expect(warnings[1]!.at - warnings[0]!.at).toBeGreaterThanOrEqual(95);
    expect(errors[0]!.at - warnings[1]!.at).toBeGreaterThanOrEqual(195);
    expect(alerter.stats()).toMatchObject({ sent: 0, failed: 1 });
  });
});

describe('createAlerter closed during a retry wait', () => {
  it('stops retrying and logs why', async () => {
    const port = await freePort();
    const logger = memoryLogger();
    const alerter = createAlerter({ smtpUrl: `smtp://127.0.0.1:${port}`, logger, retries: 3, retryDelayMs: 60_000 });
    alerter.notify(event());
    const deadline = Date.now() + 10_000;
    while (logger.messages('warn').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await alerter.close();
    await alerter.flush(5_000);
    expect(logger.messages('error')).toEqual([expect.stringContaining('after 1 attempt: the alerter was closed')]);
  });
});
