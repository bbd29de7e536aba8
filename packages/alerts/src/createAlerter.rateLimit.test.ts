import { makeTempHome, type TempHome, sleep } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter } from './createAlerter.js';
import { type SmtpTestServer, startSmtpTestServer } from '@usrsvc/testkit';
import type { AlertEvent, Alerter } from './types.js';

const event = (program: string, reason: string, kind: AlertEvent['kind'] = 'restarted'): AlertEvent => ({
  program,
  recipients: ['ops@example.com'],
  kind,
  reason,
  time: new Date(),
});

describe('createAlerter rate limit (alert_interval)', () => {
  let home: TempHome;
  let server: SmtpTestServer;
  let alerter: Alerter | undefined;

  beforeEach(async () => {
    home = makeTempHome('usrsvc-alerts-');
    server = await startSmtpTestServer();
  });
  afterEach(async () => {
    await alerter?.close();
    alerter = undefined;
    await server.close();
    home.remove();
  });

  it('sends one mail at once, then one summary at the end of the interval without a new event', async () => {
    // An interval well beyond the first send, so that no summary is due before flush() returns.
    alerter = createAlerter({ smtpUrl: server.url, intervalSeconds: 3 });
    alerter.notify(event('web', 'exited unexpectedly'));
    for (let i = 0; i < 10; i += 1) alerter.notify(event('web', 'exited unexpectedly'));
    alerter.notify(event('web', 'rss 2048 kB over 1024 kB', 'monitor-restart'));
    alerter.notify(event('web', 'rss 4096 kB over 1024 kB', 'monitor-restart'));
    await alerter.flush();
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]?.subject).toMatch(/web restarted on .*: exited unexpectedly$/);
    expect(alerter.stats().heldBack).toBe(12);

    const [, summary] = await server.waitForMessages(2, 30_000);
    expect(summary?.subject).toMatch(/web restarted by monitor on .*: rss 4096 kB over 1024 kB \(and 11 more restarts\)$/);
    expect(summary?.text).toContain('restarted: 10');
    expect(summary?.text).toContain('monitor-restart: 1');
    expect(summary?.text).toContain('10 x exited unexpectedly');
    expect(summary?.text).toContain('1 x rss 2048 kB over 1024 kB');
    await alerter.flush();
    expect(alerter.stats()).toMatchObject({ heldBack: 0, sent: 2 });
    await sleep(1200);
    expect(server.messages).toHaveLength(2);
  });

  it('limits each program on its own', async () => {
    alerter = createAlerter({ smtpUrl: server.url, intervalSeconds: 3 });
    for (const program of ['a', 'b', 'a', 'b', 'a']) alerter.notify(event(program, `${program} died`));
    await alerter.flush();
    expect(server.messages.map((mail) => mail.subject.split(' ')[1]).sort()).toEqual(['a', 'b']);
    const mails = await server.waitForMessages(4, 30_000);
    const summaries = mails.slice(2).map((mail) => mail.subject);
    expect(summaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[usrsvc\] a restarted .* \(and 1 more restart\)$/),
        expect.stringMatching(/^\[usrsvc\] b restarted .*: b died$/),
      ]),
    );
  });
});
