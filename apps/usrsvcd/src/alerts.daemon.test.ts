import fs from 'node:fs';
import os from 'node:os';
import { closedPort, type ReceivedMail, type SmtpTestServer, sleep, startSmtpTestServer, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

// Issue 7: alerts from the real daemon through a real SMTP server on 127.0.0.1.
const TO = 'ops@example.com';

let h: DaemonHarness;
let smtp: SmtpTestServer | undefined;
afterEach(async () => {
  await h.cleanup();
  await smtp?.close();
  smtp = undefined;
});

function mailsFor(program: string, kind: RegExp): ReceivedMail[] {
  return (smtp?.messages ?? []).filter((m) => m.subject.startsWith(`[usrsvc] ${program} `) && kind.test(m.subject));
}

function waitForMail(program: string, kind: RegExp, timeoutMs = 15_000): Promise<ReceivedMail> {
  return waitFor(`a mail about ${program} matching ${kind}`, () => mailsFor(program, kind)[0], { timeoutMs, intervalMs: 50 });
}

describe('email alerts from the real daemon', () => {
  it('mails a restart after SIGKILL with the program, event, reason, account, host and stderr tail', async () => {
    h = new DaemonHarness();
    smtp = await startSmtpTestServer();
    h.writeMain(`smtp_url = ${smtp.url}\nalert_interval = 0`);
    const marker = `crashy-stderr-${process.pid}-${Date.now()}`;
    const pidfile = h.writeProgram('crashy', h.script('crashy', `echo "${marker}" >&2\nexec sleep 86400.${process.pid}42`), {
      email_alerts: TO,
      proctitle_re: `sleep 86400\\.${process.pid}42$`,
    });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);
    const started = await waitForMail('crashy', / started on /);
    expect(started.envelopeTo).toEqual([TO]);

    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    const mail = await waitForMail('crashy', / restarted on /);
    const where = `${os.userInfo().username}@${os.hostname()}`;
    expect(mail.envelopeTo).toEqual([TO]);
    expect(mail.subject).toMatch(new RegExp(`^\\[usrsvc\\] crashy restarted on ${where.replace(/[.]/g, '\\.')}: .*pid ${first} exited`));
    expect(mail.text).toContain('Program: crashy');
    expect(mail.text).toContain('Event:   restarted');
    expect(mail.text).toMatch(new RegExp(`Reason: +.*pid ${first} exited after [\\d.]+ s`));
    expect(mail.text).toContain(`Account: ${os.userInfo().username}`);
    expect(mail.text).toContain(`Host:    ${os.hostname()}`);
    expect(mail.text).toMatch(/Last \d+ lines? of stderr/);
    expect(mail.text).toContain(`  ${marker}`);
  });

  it('mails one "restarted by monitor" alert per monitor restart, naming the monitor and its reason', async () => {
    h = new DaemonHarness();
    smtp = await startSmtpTestServer();
    h.writeMain(`smtp_url = ${smtp.url}\nalert_interval = 0\nmonitor_interval = 0.3`);
    const missing = h.home.path('heartbeat');
    const pidfile = h.writeProgram('watched', h.uniqueSleep(), { email_alerts: TO });
    fs.appendFileSync(`${h.confDir}/watched.cfg`, `  [[Monitoring]]\n    monitor_after = 1\n    activityfile = ${missing}\n`);
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    const mail = await waitForMail('watched', / restarted by monitor on /);
    expect(mail.subject).toContain(`: activityfile: activity file ${missing} does not exist`);
    expect(mail.text).toContain('Event:   monitor-restart');
    await h.servicePid(pidfile, first);
    await sleep(1_000);
    // The monitor's restart is one event: no second "restarted" mail for it.
    expect(mailsFor('watched', / restarted on /)).toHaveLength(0);
  });

  it('rate-limits a flapping program: far fewer mails than restarts, then a summary of the rest', async () => {
    h = new DaemonHarness();
    smtp = await startSmtpTestServer();
    h.writeMain(`smtp_url = ${smtp.url}\nalert_interval = 3`);
    h.writeProgram('flappy', h.script('flappy', 'echo "flapping" >&2\nsleep 0.5\nexit 1'), { email_alerts: TO });
    await h.startDaemonAndWait();
    const since = Date.now();

    // Counted once enough has happened, however long that took: at most one mail at once and one
    // summary per alert_interval (3 s) went out meanwhile, whatever the number of restarts.
    await waitFor('four restarts', () => h.logLines(/\(flappy\) - started as pid/).length >= 4, { timeoutMs: 60_000 });
    await waitFor('the first mail', () => mailsFor('flappy', /./).length >= 1, { timeoutMs: 30_000 });
    // The autostart's "started" notice uses up no interval: only failure mails are limited.
    const mails = mailsFor('flappy', /./).filter((mail) => !/ started on /.test(mail.subject));
    const restarts = h.logLines(/\(flappy\) - started as pid/).length;
    expect(mails.length).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - since) / 3_000));
    expect(mails.length).toBeLessThanOrEqual(restarts);
    const summary = await waitForMail('flappy', /\(and \d+ more restarts?\)$/, 30_000);
    expect(summary.text).toMatch(/Held back since the previous mail \(alert_interval\), and \d+ more restarts?:/);
    expect(summary.text).toMatch(/restarted: \d+/);
  });

  it('keeps restarting when the SMTP server is down, and logs why the alert failed', async () => {
    h = new DaemonHarness();
    const port = await closedPort();
    h.writeMain(`smtp_url = smtp://127.0.0.1:${port}\nalert_interval = 0`);
    const pidfile = h.writeProgram('lonely', h.uniqueSleep(), { email_alerts: TO });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);

    // Each attempt fails at once (connection refused); the retries wait 1, 2 and 4 s.
    await h.waitForLog(/\(alerts\) - WARNING: alert for lonely: attempt 1 through .* failed \(.*ECONNREFUSED.*\); retrying in 1000 ms/);
    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);
    expect(second).not.toBe(first);
    expect(isLive(second)).toBe(true);
    const [failed] = await h.waitForLog(/\(alerts\) - ERROR: .*alert for program lonely to ops@example\.com not sent through .* after 4 attempts: .*ECONNREFUSED/, {
      timeoutMs: 20_000,
    });
    expect(failed).toContain(String(port));
    expect(isLive(second)).toBe(true);
  });

  it('mails "gave up" when an always-failing program reaches maxrestarts', async () => {
    h = new DaemonHarness();
    smtp = await startSmtpTestServer();
    h.writeMain(`smtp_url = ${smtp.url}\nalert_interval = 0`);
    h.writeProgram('broken', h.script('broken', 'echo "cannot start: broken on purpose" >&2\nexit 3'), { email_alerts: TO, maxrestarts: 2 });
    await h.startDaemonAndWait();

    await h.waitForLog(/\(broken\) - .*has reached the maximum number of restarts 2/, { timeoutMs: 20_000 });
    const mail = await waitForMail('broken', / GAVE UP on /);
    expect(mail.subject).toMatch(/gave up after 2 start attempts \(maxrestarts=2\)/);
    expect(mail.text).toContain('Event:   gave-up');
    expect(mail.text).toContain('cannot start: broken on purpose');
    // It never ran, so nothing else was mailed.
    expect(smtp.messages.filter((m) => m.subject.includes('broken'))).toHaveLength(1);
  });
});
