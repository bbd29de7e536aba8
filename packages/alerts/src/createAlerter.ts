import os from 'node:os';
import type { AlertChannel, ChannelContext } from './AlertChannel.js';
import { AlertmanagerChannel } from './AlertmanagerChannel.js';
import { parseSmtpUrl } from './createTransport.js';
import { AlertConfigError } from './errors.js';
import { describe, MailChannel } from './MailChannel.js';
import { TRANSPORT_NAMES, type AlertEvent, type Alerter, type AlerterOptions, type AlerterStats, type Logger, type TransportStats } from './types.js';
import { WebhookChannel } from './WebhookChannel.js';

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Creates the alerter usrsvcd notifies: mail (email_alerts), webhook (webhook_url) and Alertmanager
 * (alertmanager_url), each with its own queue, retries with exponential backoff and timeout.
 * `notify` only queues. Throws AlertConfigError for a bad smtp_url or alertmanager_url.
 */
export function createAlerter(options: AlerterOptions = {}): Alerter {
  if (options.smtpUrl !== undefined && options.smtpUrl.trim() !== '') parseSmtpUrl(options.smtpUrl.trim());
  for (const url of options.alertmanagerUrls ?? []) checkHttpUrl('alertmanager_url', url);
  return new QueuedAlerter(options);
}

class QueuedAlerter implements Alerter {
  private readonly logger: Logger;
  private readonly channels: AlertChannel[];
  private closed = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(options: AlerterOptions) {
    this.logger = options.logger ?? silentLogger;
    const context: ChannelContext = {
      account: currentAccount(),
      host: os.hostname(),
      logger: this.logger,
      queueSize: options.queueSize ?? 100,
      retries: Math.max(0, options.retries ?? 3),
      retryDelayMs: Math.max(0, options.retryDelayMs ?? 1000),
      sendTimeoutMs: options.sendTimeoutMs ?? 60_000,
      intervalMs: Math.max(0, (options.intervalSeconds ?? 300) * 1000),
      stderrTailLines: options.stderrTailLines ?? 20,
      stderrTailBytes: options.stderrTailBytes ?? 8192,
      onIdle: () => this.notifyIdleIfDone(),
    };
    const httpTimeoutMs = options.httpTimeoutMs ?? 10_000;
    this.channels = [
      new MailChannel(context, options),
      new WebhookChannel(context, httpTimeoutMs),
      new AlertmanagerChannel(context, options.alertmanagerUrls ?? [], options.alertmanagerResendMs ?? 60_000, httpTimeoutMs),
    ];
  }

  notify(event: AlertEvent): void {
    try {
      if (this.closed) {
        this.logger.debug(`alert for ${event.program} (${event.kind}) ignored: the alerter is closed`);
        return;
      }
      if (typeof event.program !== 'string' || !(event.time instanceof Date)) throw new TypeError('an alert event needs a program and a time');
      for (const channel of this.channels) channel.offer(event);
    } catch (error) {
      this.logger.error(`alert for ${event?.program} could not be queued: ${describe(error)}`);
    }
  }

  flush(timeoutMs = 10_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.logger.warn(`alerts: flush gave up after ${timeoutMs} ms with ${this.stats().queued} alert(s) still queued`);
        done();
      }, timeoutMs);
      timer.unref();
      this.idleWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let queued = 0;
    let heldBack = 0;
    for (const channel of this.channels) {
      const dropped = channel.close();
      queued += dropped.queued;
      heldBack += dropped.heldBack;
    }
    if (heldBack + queued > 0) {
      this.logger.warn(`alerts: closing with ${queued} queued and ${heldBack} held-back alert(s) not sent`);
    }
    this.notifyIdleIfDone();
  }

  stats(): AlerterStats {
    const byTransport = {} as AlerterStats['byTransport'];
    const total: TransportStats = { queued: 0, sent: 0, failed: 0, dropped: 0, logged: 0, heldBack: 0 };
    for (const channel of this.channels) {
      const stats = channel.stats();
      byTransport[channel.transport] = stats;
      for (const key of Object.keys(total) as Array<keyof TransportStats>) total[key] += stats[key];
    }
    for (const name of TRANSPORT_NAMES) byTransport[name] ??= { queued: 0, sent: 0, failed: 0, dropped: 0, logged: 0, heldBack: 0 };
    return { ...total, byTransport };
  }

  private isIdle(): boolean {
    return this.channels.every((channel) => channel.isIdle());
  }

  private notifyIdleIfDone(): void {
    if (!this.isIdle()) return;
    for (const waiter of [...this.idleWaiters]) waiter();
  }
}

function checkHttpUrl(setting: string, text: string): void {
  try {
    const url = new URL(text);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return;
  } catch {
    // reported below
  }
  throw new AlertConfigError(setting, text, 'not an http:// or https:// URL');
}

function currentAccount(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? `uid${process.getuid?.() ?? ''}`;
  }
}
