import fs from 'node:fs';
import os from 'node:os';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter } from './createAlerter.js';
import { STANDARD_SENDMAIL_PATHS } from './findSendmail.js';
import { readCapturedMails, writeFakeSendmail } from '@usrsvc/testkit';
import { memoryLogger } from './test-support/index.js';
import type { AlertEvent, Alerter } from './types.js';

const account = os.userInfo().username;
const host = os.hostname();
const systemHasSendmail = STANDARD_SENDMAIL_PATHS.some((file) => fs.existsSync(file));

describe('createAlerter through sendmail (a fake sendmail script)', () => {
  let home: TempHome;
  let capture: string;
  let alerter: Alerter | undefined;

  const event = (overrides: Partial<AlertEvent> = {}): AlertEvent => ({
    program: 'web',
    recipients: ['ops@example.com', 'dev@example.com'],
    kind: 'restarted',
    reason: 'exited unexpectedly',
    time: new Date('2026-03-04T05:06:07.000Z'),
    ...overrides,
  });

  beforeEach(() => {
    home = makeTempHome('usrsvc-alerts-');
    capture = home.path('captured.txt');
  });
  afterEach(async () => {
    await alerter?.close();
    alerter = undefined;
    home.remove();
  });

  it('sends one mail to every recipient with From account@host, the event and the stderr tail', async () => {
    const sendmail = writeFakeSendmail(home.dir, capture);
    const stderrFile = home.write('web.err', `${Array.from({ length: 30 }, (_, i) => `err line ${i + 1}`).join('\n')}\n`);
    const logger = memoryLogger();
    alerter = createAlerter({ sendmailPath: sendmail, logger });
    alerter.notify(event({ stderrFile }));
    await alerter.flush();

    const mails = readCapturedMails(capture);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.argv).toEqual(['-i', '-f', `${account}@${host}`, 'ops@example.com', 'dev@example.com']);
    expect(mail?.to).toBe('ops@example.com, dev@example.com');
    expect(mail?.from).toBe(`${account}@${host}`);
    expect(mail?.subject).toBe(`[usrsvc] web restarted on ${account}@${host}: exited unexpectedly`);
    expect(mail?.text).toContain('Program: web\n');
    expect(mail?.text).toContain('Event:   restarted\n');
    expect(mail?.text).toContain('Reason:  exited unexpectedly\n');
    expect(mail?.text).toContain('Time:    2026-03-04T05:06:07.000Z\n');
    expect(mail?.text).toContain(`Account: ${account}\n`);
    expect(mail?.text).toContain(`Host:    ${host}\n`);
    expect(mail?.text).toContain(`Last 20 lines of stderr (${stderrFile}):`);
    expect(mail?.text).toContain('  err line 11\n');
    expect(mail?.text).toContain('  err line 30\n');
    expect(mail?.text).not.toContain('err line 10\n');
    expect(alerter.stats()).toMatchObject({ sent: 1, failed: 0, queued: 0 });
    expect(logger.messages('error')).toEqual([]);
  });

  it('uses email_from when set, and reads the stderr file when the alert is sent, not when notified', async () => {
    const sendmail = writeFakeSendmail(home.dir, capture, { delaySeconds: 0.3 });
    const stderrFile = home.path('late.err');
    alerter = createAlerter({ sendmailPath: sendmail, from: 'usrsvc@alerts.example.com', intervalSeconds: 0 });
    alerter.notify(event({ program: 'first' }));
    // "first" keeps sendmail busy for 0.3 s: the next alert is still queued when the file is written.
    alerter.notify(event({ kind: 'gave-up', reason: 'maxrestarts (3) reached', stderrFile }));
    fs.writeFileSync(stderrFile, 'written after notify\n');
    await alerter.flush();
    const [first, mail] = readCapturedMails(capture);
    expect(first?.from).toBe('usrsvc@alerts.example.com');
    expect(mail?.argv).toContain('usrsvc@alerts.example.com');
    expect(mail?.subject).toContain('web GAVE UP');
    expect(mail?.text).toContain('  written after notify\n');
  });

  it.skipIf(systemHasSendmail)('"auto" finds a sendmail on PATH', async () => {
    writeFakeSendmail(home.path(), capture);
    alerter = createAlerter({ sendmailPath: 'auto', env: { PATH: `/nonexistent:${home.dir}` } });
    alerter.notify(event({ kind: 'started', reason: 'found not running' }));
    await alerter.flush();
    expect(readCapturedMails(capture).map((mail) => mail.subject)).toEqual([
      `[usrsvc] web started on ${account}@${host}: found not running`,
    ]);
  });

  it('with no transport, says so once, then logs each alert it would have sent', async () => {
    const logger = memoryLogger();
    alerter = createAlerter({ sendmailPath: home.path('no-such-sendmail'), logger, intervalSeconds: 0 });
    alerter.notify(event({ program: 'a' }));
    alerter.notify(event({ program: 'b' }));
    await alerter.flush();
    alerter.notify(event({ program: 'c', kind: 'monitor-restart', reason: 'rss 2048 kB over 1024 kB' }));
    await alerter.flush();
    const warnings = logger.messages('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no way to send mail: sendmail_path .*no-such-sendmail is not an executable file and no smtp_url set/);
    const infos = logger.messages('info');
    expect(infos).toHaveLength(3);
    expect(infos[0]).toContain('To: ops@example.com, dev@example.com');
    expect(infos[0]).toContain(`Subject: [usrsvc] a restarted on ${account}@${host}`);
    expect(infos[2]).toContain('Reason:  rss 2048 kB over 1024 kB');
    expect(alerter.stats()).toMatchObject({ logged: 3, sent: 0, failed: 0 });
  });

  it('retries a failing sendmail with backoff, then logs the failure with its reason', async () => {
    const sendmail = writeFakeSendmail(home.dir, capture, { exitCode: 75 });
    const logger = memoryLogger();
    alerter = createAlerter({ sendmailPath: sendmail, logger, retries: 2, retryDelayMs: 50 });
    alerter.notify(event());
    await alerter.flush();
    expect(readCapturedMails(capture)).toHaveLength(3);
    expect(logger.messages('warn')).toEqual([
      expect.stringMatching(/attempt 1 .*failed \(Sendmail exited with code 75\); retrying in 50 ms/),
      expect.stringMatching(/attempt 2 .*failed .*retrying in 100 ms/),
    ]);
    expect(logger.messages('error')).toEqual([
      expect.stringMatching(/alert for program web to ops@example.com, dev@example.com not sent through sendmail .* after 3 attempts: Sendmail exited with code 75/),
    ]);
    expect(alerter.stats()).toMatchObject({ sent: 0, failed: 1 });
  });

  it('drops the oldest queued alert when the queue is full', async () => {
    const sendmail = writeFakeSendmail(home.dir, capture, { delaySeconds: 0.5 });
    const logger = memoryLogger();
    alerter = createAlerter({ sendmailPath: sendmail, logger, queueSize: 2, intervalSeconds: 0 });
    // p0 goes to sendmail at once; p1..p4 wait in a queue of 2, so p1 and p2 are dropped.
    for (let i = 0; i < 5; i += 1) alerter.notify(event({ program: `p${i}` }));
    expect(alerter.stats()).toMatchObject({ queued: 2, dropped: 2 });
    await alerter.flush(20_000);
    expect(readCapturedMails(capture).map((mail) => mail.subject.split(' ')[1])).toEqual(['p0', 'p3', 'p4']);
    expect(logger.messages('warn')).toEqual([
      expect.stringMatching(/queue full \(2\), dropped the oldest alert \(p1 restarted\); 1 dropped so far/),
      expect.stringMatching(/dropped the oldest alert \(p2 restarted\); 2 dropped so far/),
    ]);
  });

  it('notify never throws, and ignores events without recipients', async () => {
    const sendmail = writeFakeSendmail(home.dir, capture);
    const logger = memoryLogger();
    alerter = createAlerter({ sendmailPath: sendmail, logger });
    expect(() => alerter?.notify({} as AlertEvent)).not.toThrow();
    expect(() => alerter?.notify(null as unknown as AlertEvent)).not.toThrow();
    alerter.notify(event({ recipients: [' ', ''] }));
    await alerter.flush();
    expect(readCapturedMails(capture)).toEqual([]);
    expect(logger.messages('error')).toHaveLength(2);
  });

  it('close() drops held-back alerts, says how many, and ignores later notifies', async () => {
    const sendmail = writeFakeSendmail(home.dir, capture);
    const logger = memoryLogger();
    alerter = createAlerter({ sendmailPath: sendmail, logger, intervalSeconds: 60 });
    alerter.notify(event());
    alerter.notify(event());
    await alerter.flush();
    await alerter.close();
    alerter.notify(event({ program: 'after-close' }));
    await alerter.flush();
    expect(readCapturedMails(capture)).toHaveLength(1);
    expect(logger.messages('warn')).toEqual([expect.stringContaining('0 queued and 1 held-back alert(s) not sent')]);
  });
});
