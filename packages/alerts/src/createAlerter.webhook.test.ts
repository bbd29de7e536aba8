import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { closedPort, makeTempHome, startSmtpTestServer, startWebhookReceiver, type TempHome, type WebhookReceiver, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter } from './createAlerter.js';
import { verifyWebhookSignature } from './signWebhookBody.js';
import { memoryLogger } from './test-support/index.js';
import type { AlertEvent, Alerter } from './types.js';

const account = os.userInfo().username;
const host = os.hostname();

describe('createAlerter webhook_url', () => {
  let home: TempHome;
  let receiver: WebhookReceiver;
  let alerter: Alerter | undefined;
  const closers: Array<() => Promise<void>> = [];

  const event = (overrides: Partial<AlertEvent> = {}): AlertEvent => ({
    program: 'web',
    recipients: [],
    webhook: { url: receiver.url, secret: 's3cret' },
    pid: 4321,
    kind: 'restarted',
    reason: 'exited unexpectedly',
    time: new Date('2026-11-29T08:30:00.000Z'),
    ...overrides,
  });

  beforeEach(async () => {
    home = makeTempHome('usrsvc-webhook-');
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await alerter?.close();
    alerter = undefined;
    await receiver.close();
    for (const close of closers.splice(0)) await close();
    home.remove();
  });

  it('POSTs the event as signed JSON; a wrong secret or a changed body is detected', async () => {
    const stderr = home.write('logs/web.err', 'starting\nTypeError: boom\n');
    alerter = createAlerter({ intervalSeconds: 0 });
    alerter.notify(event({ stderrFile: stderr }));
    const [request] = await receiver.waitForRequests(1);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-usrsvc-event']).toBe('restarted');
    expect(request?.json).toEqual({
      program: 'web',
      event: 'restarted',
      reason: 'exited unexpectedly',
      account,
      host,
      pid: 4321,
      time: '2026-11-29T08:30:00.000Z',
      stderrTail: ['starting', 'TypeError: boom'],
      text: `[usrsvc] web restarted on ${account}@${host}: exited unexpectedly`,
    });
    const signature = request?.headers['x-usrsvc-signature'] as string;
    // What a receiver computes with nothing but its HMAC library:
    expect(signature).toBe(`sha256=${createHmac('sha256', 's3cret').update(request!.body).digest('hex')}`);
    expect(verifyWebhookSignature(request!.body, 's3cret', signature)).toBe(true);
    expect(verifyWebhookSignature(request!.body, 'wrong-secret', signature)).toBe(false);
    expect(verifyWebhookSignature(request!.body.replace('web', 'wex'), 's3cret', signature)).toBe(false);
    expect(verifyWebhookSignature(request!.body, 's3cret', undefined)).toBe(false);
    expect(verifyWebhookSignature(request!.body, 's3cret', 'sha256=00')).toBe(false);
    // The receiver has the request before the alerter has read the answer that makes it "sent".
    await alerter.flush();
    expect(alerter.stats().byTransport.webhook).toMatchObject({ sent: 1, failed: 0 });
  });

  it('sends no signature without a secret, and every kind of event, recovered included (mail gets no recovered)', async () => {
    const smtp = await startSmtpTestServer();
    closers.push(() => smtp.close());
    alerter = createAlerter({ intervalSeconds: 0, smtpUrl: smtp.url });
    const kinds: AlertEvent['kind'][] = ['started', 'restarted', 'monitor-restart', 'gave-up', 'recovered'];
    for (const kind of kinds) alerter.notify(event({ kind, webhook: { url: receiver.url }, recipients: ['ops@example.com'] }));
    const requests = await receiver.waitForRequests(5);
    expect(requests.map((request) => (request.json as { event: string }).event)).toEqual(kinds);
    expect(requests.every((request) => request.headers['x-usrsvc-signature'] === undefined)).toBe(true);
    expect((requests[4]!.json as { text: string }).text).toBe(`[usrsvc] web recovered on ${account}@${host}: exited unexpectedly`);
    await alerter.flush();
    expect(smtp.messages.map((mail) => mail.subject.split(' ')[2])).toEqual(['started', 'restarted', 'restarted', 'GAVE']);
  });

  it('rate-limits per program like mail: the held-back events come in one summary', async () => {
    alerter = createAlerter({ intervalSeconds: 1 });
    for (let i = 0; i < 5; i += 1) alerter.notify(event());
    alerter.notify(event({ kind: 'recovered', reason: 'running for 2 s' }));
    const requests = await receiver.waitForRequests(2);
    const summary = requests[1]?.json as { event: string; heldBack: { count: number; byKind: Record<string, number> } };
    expect(summary.event).toBe('recovered');
    expect(summary.heldBack).toMatchObject({ count: 4, byKind: { restarted: 4 } });
  });

  it('an endpoint that is down: notify returns at once, the failure is logged once with its reason, then retried', async () => {
    const logger = memoryLogger();
    const down = `http://127.0.0.1:${await closedPort()}/hook`;
    alerter = createAlerter({ intervalSeconds: 0, retries: 2, retryDelayMs: 20, logger });
    for (let i = 0; i < 5; i += 1) alerter.notify(event({ program: `p${i}`, webhook: { url: down } }));
    // notify returned without any network wait: no attempt has failed yet.
    expect(alerter.stats().byTransport.webhook).toMatchObject({ failed: 0, sent: 0 });
    await alerter.flush();
    expect(alerter.stats().byTransport.webhook).toMatchObject({ sent: 0, failed: 5 });
    const warnings = logger.messages('warn');
    expect(warnings).toEqual([expect.stringMatching(/^webhook http:\/\/127\.0\.0\.1:\d+\/hook failed: connect ECONNREFUSED 127\.0\.0\.1:\d+; alerts to it are retried/)]);
    expect(logger.messages('error')).toEqual([]);
    expect(logger.messages('debug').filter((line) => line.includes('still failing')).length).toBeGreaterThanOrEqual(10);
  });

  it('an endpoint answering 503 is retried with backoff; when it answers 200 again that is said once', async () => {
    const logger = memoryLogger();
    receiver.respondWith(503);
    alerter = createAlerter({ intervalSeconds: 0, retries: 1, retryDelayMs: 20, logger });
    alerter.notify(event());
    await alerter.flush();
    expect(receiver.requests).toHaveLength(2);
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/webhook http:\/\/127\.0\.0\.1:\d+\/hook failed: HTTP 503: try again later/)]);
    receiver.respondWith(200);
    alerter.notify(event({ program: 'db' }));
    await alerter.flush();
    expect(logger.messages('info')).toEqual([expect.stringMatching(/webhook http:\/\/127\.0\.0\.1:\d+\/hook answers again/)]);
    expect(alerter.stats().byTransport.webhook).toMatchObject({ sent: 1, failed: 1 });
  });

  it('an endpoint that never answers times out; another endpoint is not delayed by it', async () => {
    const logger = memoryLogger();
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise<void>((resolve) => { silent.closeAllConnections(); silent.close(() => resolve()); }));
    const hung = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slack/T000/B000/secret-token`;
    // b is sent and answered while a still waits for its answer (3 s: far longer than b takes, even under load).
    alerter = createAlerter({ intervalSeconds: 0, retries: 0, httpTimeoutMs: 3000, logger });
    alerter.notify(event({ program: 'a', webhook: { url: hung } }));
    alerter.notify(event({ program: 'b' }));
    await receiver.waitForRequests(1);
    await waitFor('b sent', () => alerter!.stats().byTransport.webhook.sent === 1);
    expect(alerter.stats().byTransport.webhook.failed).toBe(0);
    await waitFor('the hung endpoint to time out', () => alerter!.stats().byTransport.webhook.failed === 1, { timeoutMs: 15_000 });
    const warning = logger.messages('warn')[0] ?? '';
    expect(warning).toMatch(/webhook http:\/\/127\.0\.0\.1:\d+\/slack\/\*\*\* failed: no answer within 3000 ms/);
    expect(warning).not.toContain('secret-token');
  });
});
