import os from 'node:os';
import {
  type AlertmanagerServer,
  closedPort,
  makeTempHome,
  startAlertmanager,
  startWebhookReceiver,
  type TempHome,
  type WebhookReceiver,
  waitFor,
} from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter } from './createAlerter.js';
import { memoryLogger } from './test-support/index.js';
import type { AlertEvent, Alerter } from './types.js';

const account = os.userInfo().username;
const host = os.hostname();

const event = (overrides: Partial<AlertEvent> = {}): AlertEvent => ({
  program: 'web',
  recipients: [],
  kind: 'restarted',
  reason: 'exited unexpectedly',
  time: new Date(),
  pid: 4321,
  ...overrides,
});

interface AlertmanagerNotification {
  status: 'firing' | 'resolved';
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

describe('createAlerter alertmanager_url, against a real Alertmanager', () => {
  let home: TempHome;
  let receiver: WebhookReceiver;
  let alertmanager: AlertmanagerServer;
  let alerter: Alerter | undefined;
  const others: AlertmanagerServer[] = [];

  beforeEach(async () => {
    home = makeTempHome('usrsvc-alertmanager-');
    receiver = await startWebhookReceiver();
    alertmanager = await startAlertmanager(home.path('am'), { webhookUrl: receiver.url });
  });
  afterEach(async () => {
    await alerter?.close();
    alerter = undefined;
    await alertmanager.stop();
    for (const other of others.splice(0)) await other.stop();
    await receiver.close();
    home.remove();
  });

  it('raises UsrsvcProgramRestarted and UsrsvcProgramGaveUp with labels, and resolves both when the program recovers', async () => {
    alerter = createAlerter({ alertmanagerUrls: [alertmanager.url], intervalSeconds: 300 });
    alerter.notify(event());
    alerter.notify(event({ reason: 'exited with code 1' }));
    alerter.notify(event({ kind: 'gave-up', reason: 'gave up after 3 start attempts (maxrestarts=3)' }));
    alerter.notify(event({ program: 'db', kind: 'started', reason: 'was not running when usrsvcd started' }));

    const alerts = await waitFor('two alerts in Alertmanager', async () => {
      const listed = await alertmanager.alerts();
      return listed.length === 2 && listed;
    });
    const byName = Object.fromEntries(alerts.map((alert) => [alert.labels.alertname, alert]));
    expect(byName.UsrsvcProgramRestarted?.labels).toEqual({ alertname: 'UsrsvcProgramRestarted', program: 'web', user: account, host, severity: 'warning' });
    expect(byName.UsrsvcProgramRestarted?.annotations).toMatchObject({ reason: 'exited with code 1', summary: `web restarted on ${account}@${host}: exited with code 1` });
    expect(byName.UsrsvcProgramGaveUp?.labels).toMatchObject({ program: 'web', severity: 'critical' });
    expect(byName.UsrsvcProgramGaveUp?.annotations.reason).toBe('gave up after 3 start attempts (maxrestarts=3)');
    expect(byName.UsrsvcProgramGaveUp?.status.state).toBe('active');
    // Each alert is a group of its own (group_by alertname, program), flushed on its own: both must
    // have been notified firing, or Alertmanager never notifies the one resolved before its flush.
    await waitFor('Alertmanager to notify both alerts firing', () => {
      const firing = receiver.requests.map((request) => request.json as AlertmanagerNotification).filter((n) => n.status === 'firing');
      return new Set(firing.flatMap((n) => n.alerts.map((alert) => alert.labels.alertname))).size === 2;
    });

    // alert_interval holds back mail and webhooks, never Alertmanager: it does its own grouping.
    alerter.notify(event({ kind: 'recovered', reason: 'running for 2 s' }));
    await waitFor('the alerts to leave Alertmanager\'s list', async () => (await alertmanager.alerts()).length === 0);
    // Alertmanager may say it in one notification or several, and may repeat one: each name once.
    const resolved = await waitFor('Alertmanager to notify them resolved', () => {
      const notifications = receiver.requests.map((request) => request.json as AlertmanagerNotification).filter((n) => n.status === 'resolved');
      const names = [...new Set(notifications.flatMap((n) => n.alerts.map((alert) => alert.labels.alertname)))].sort();
      return names.length === 2 && names;
    }, { timeoutMs: 40_000 });
    expect(resolved).toEqual(['UsrsvcProgramGaveUp', 'UsrsvcProgramRestarted']);
    await alerter.flush();
    expect(alerter.stats().byTransport.alertmanager).toMatchObject({ sent: 4, failed: 0 });
  });

  it('sends to every Alertmanager listed; one that is down is logged once and never holds up the others', async () => {
    const second = await startAlertmanager(home.path('am2'));
    others.push(second);
    const logger = memoryLogger();
    const down = `http://127.0.0.1:${await closedPort()}`;
    alerter = createAlerter({ alertmanagerUrls: [down, alertmanager.url, `${second.url}/`], retries: 2, retryDelayMs: 50, logger });
    alerter.notify(event({ kind: 'gave-up', reason: 'gave up' }));
    alerter.notify(event({ program: 'db', kind: 'monitor-restart', reason: 'rss 4096 kB over 1024 kB' }));
    for (const server of [alertmanager, second]) {
      await waitFor(`both alerts in ${server.url}`, async () => (await server.alerts()).length === 2);
    }
    await alerter.flush();
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/^alertmanager http:\/\/127\.0\.0\.1:\d+ failed: connect ECONNREFUSED/)]);
    expect(logger.messages('error')).toEqual([]);
    const names = (await second.alerts()).map((alert) => alert.labels.alertname).sort();
    expect(names).toEqual(['UsrsvcProgramGaveUp', 'UsrsvcProgramMonitorRestart']);
  });

  it('resends firing alerts so they stay active, each time pushing endsAt ahead', async () => {
    alerter = createAlerter({ alertmanagerUrls: [alertmanager.url], alertmanagerResendMs: 500 });
    alerter.notify(event({ kind: 'gave-up', reason: 'gave up' }));
    const [first] = await waitFor('the alert', async () => {
      const listed = await alertmanager.alerts();
      return listed.length === 1 && listed;
    });
    await waitFor('a resend to move endsAt', async () => {
      const [again] = await alertmanager.alerts();
      return again !== undefined && Date.parse(again.endsAt) > Date.parse(first!.endsAt) && again.startsAt === first!.startsAt;
    });
  });
});
