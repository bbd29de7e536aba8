import fs from 'node:fs';
import os from 'node:os';
import { verifyWebhookSignature, type WebhookPayload } from '@usrsvc/alerts';
import {
  type AlertmanagerServer,
  closedPort,
  startAlertmanager,
  startWebhookReceiver,
  type WebhookReceiver,
  waitFor,
} from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from './test-support/daemonHarness.js';

// Issue 16: webhooks and Alertmanager alerts from the real daemon, against real servers on 127.0.0.1.
const user = os.userInfo().username;

let h: DaemonHarness;
let receiver: WebhookReceiver | undefined;
let alertmanager: AlertmanagerServer | undefined;
afterEach(async () => {
  await alertmanager?.stop();
  alertmanager = undefined;
  await receiver?.close();
  receiver = undefined;
  await h.cleanup();
});

/** A program that exits after half a second until `ok` exists in its folder; then it stays up. */
function flakyScript(h: DaemonHarness, name: string): { command: string; fix(): void } {
  const ok = h.home.path(`${name}.ok`);
  const command = h.script(name, `if [ -e ${ok} ]; then while :; do sleep 1; done; fi\necho "${name} is broken" >&2\nsleep 0.5\nexit 3`);
  return { command, fix: () => fs.writeFileSync(ok, '') };
}

describe('alert routes of the real daemon', () => {
  it('POSTs each event as signed JSON to webhook_url (restarted, then recovered); a wrong secret does not verify', async () => {
    h = new DaemonHarness();
    receiver = await startWebhookReceiver();
    h.writeMain('alert_interval = 0');
    const pidfile = h.writeProgram('hooked', h.uniqueSleep(), { webhook_url: receiver.url, webhook_secret: 'shh' });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);
    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);

    const restarted = await waitFor('the restarted webhook', () =>
      receiver!.requests.find((request) => (request.json as WebhookPayload).event === 'restarted'),
    );
    const payload = restarted.json as WebhookPayload;
    expect(payload).toMatchObject({ program: 'hooked', event: 'restarted', account: user, host: os.hostname(), pid: second });
    expect(payload.reason).toContain(`pid ${first} exited`);
    expect(payload.text).toMatch(/^\[usrsvc\] hooked restarted on /);
    const signature = restarted.headers['x-usrsvc-signature'] as string;
    expect(verifyWebhookSignature(restarted.body, 'shh', signature)).toBe(true);
    expect(verifyWebhookSignature(restarted.body, 'not-the-secret', signature)).toBe(false);

    // Up for success_seconds (0.3 s) after the restart alert: recovered.
    const recovered = await waitFor('the recovered webhook', () =>
      receiver!.requests.find((request) => (request.json as WebhookPayload).event === 'recovered'),
    );
    expect(recovered.json).toMatchObject({ program: 'hooked', event: 'recovered', pid: second });
    expect((recovered.json as WebhookPayload).reason).toBe(`running again for 0.3 s (success_seconds) as pid ${second}`);
    expect(verifyWebhookSignature(recovered.body, 'shh', recovered.headers['x-usrsvc-signature'] as string)).toBe(true);
  });

  it('a program that reaches maxrestarts raises an alert in a real Alertmanager, resolved when it runs again', async () => {
    h = new DaemonHarness();
    alertmanager = await startAlertmanager(h.home.path('alertmanager'));
    h.writeMain(`alertmanager_url = ${alertmanager.url}\nalert_interval = 0`);
    const flaky = flakyScript(h, 'flaky');
    h.writeProgram('flaky', flaky.command, { maxrestarts: 2 });
    await h.startDaemonAndWait();

    const gaveUp = await waitFor(
      'UsrsvcProgramGaveUp in Alertmanager',
      async () => (await alertmanager!.alerts()).find((alert) => alert.labels.alertname === 'UsrsvcProgramGaveUp'),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(gaveUp.labels).toEqual({ alertname: 'UsrsvcProgramGaveUp', program: 'flaky', user, host: os.hostname(), severity: 'critical' });
    expect(gaveUp.annotations.reason).toMatch(/maxrestarts=2/);

    flaky.fix();
    // As `usrsvc start flaky` does it, through the daemon's API.
    const started = await h.api().act('flaky', 'start');
    expect(started.code).toBe(0);
    h.trackServices();
    await waitFor('every alert of flaky resolved', async () => (await alertmanager!.alerts()).every((alert) => alert.labels.program !== 'flaky'), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    await h.waitForLog(/recovered: running again for 0.3 s \(success_seconds\)/);
  });

  it('with the webhook and Alertmanager down, crashes are still restarted, and each endpoint is logged once', async () => {
    h = new DaemonHarness();
    const down = `http://127.0.0.1:${await closedPort()}`;
    h.writeMain(`webhook_url = ${down}/hook\nalertmanager_url = ${down}\nalert_interval = 0`);
    const pidfile = h.writeProgram('sturdy', h.uniqueSleep());
    await h.startDaemonAndWait();
    let pid = await h.servicePid(pidfile);
    for (let i = 0; i < 3; i += 1) {
      process.kill(pid, 'SIGKILL');
      pid = await h.servicePid(pidfile, pid);
    }
    await h.waitForLog(/webhook http:\/\/127\.0\.0\.1:\d+\/hook failed: connect ECONNREFUSED/);
    await h.waitForLog(/alertmanager http:\/\/127\.0\.0\.1:\d+ failed: connect ECONNREFUSED/);
    expect(h.logLines(/webhook .* failed:/)).toHaveLength(1);
    expect(h.logLines(/alertmanager .* failed:/)).toHaveLength(1);
  });

  it('with alert_interval = 300, the first crash after the autostart is POSTed at once (the started notice uses up nothing)', async () => {
    h = new DaemonHarness();
    receiver = await startWebhookReceiver();
    h.writeMain('alert_interval = 300');
    const pidfile = h.writeProgram('fresh', h.uniqueSleep(), { webhook_url: receiver.url });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);
    const events = () => receiver!.requests.map((request) => (request.json as WebhookPayload).event);
    await waitFor('the started webhook', () => events().includes('started'));

    process.kill(first, 'SIGKILL');
    const second = await h.servicePid(pidfile, first);
    const restarted = await waitFor('the restarted webhook, long before 300 s', () =>
      receiver!.requests.find((request) => (request.json as WebhookPayload).event === 'restarted'),
    );
    expect(restarted.json).toMatchObject({ program: 'fresh', event: 'restarted', pid: second });
    // A repeat within the interval is held back.
    process.kill(second, 'SIGKILL');
    await h.servicePid(pidfile, second);
    await h.waitForLog(/\(fresh\) - started as pid \d+ \[Attempt 3\]/);
    expect(events().filter((event) => event === 'restarted')).toHaveLength(1);
  });
});
