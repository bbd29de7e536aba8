import os from 'node:os';
import { AlertQueue } from './AlertQueue.js';
import { type AlertTransport, createTransport, parseSmtpUrl } from './createTransport.js';
import { AlertSendError } from './errors.js';
import { type AlertMessageContext, formatAlertMessage } from './formatAlertMessage.js';
import { RateLimiter, type ReleasedAlert } from './rateLimiter.js';
import { readStderrTail } from './readStderrTail.js';
import type { AlertEvent, Alerter, AlerterOptions, AlerterStats, AlertMessage, HeldBackSummary, Logger } from './types.js';
import { withTimeout } from './withTimeout.js';

type MailTransport = Exclude<AlertTransport, { kind: 'none' }>;
type OutgoingMail = AlertMessage & { from: string; to: string[] };

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Creates the alerter usrsvcd notifies. `notify` only queues; one background worker sends queued
 * alerts in order, with retries and exponential backoff. Throws AlertConfigError for a bad smtp_url.
 */
export function createAlerter(options: AlerterOptions = {}): Alerter {
  if (options.smtpUrl !== undefined && options.smtpUrl.trim() !== '') parseSmtpUrl(options.smtpUrl.trim());
  return new QueuedAlerter(options);
}

class QueuedAlerter implements Alerter {
  private readonly logger: Logger;
  private readonly queue: AlertQueue<ReleasedAlert>;
  private readonly limiter: RateLimiter;
  private readonly account: string;
  private readonly host: string;
  private readonly from: string;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly sendTimeoutMs: number;
  private transport?: AlertTransport;
  private working = false;
  private closed = false;
  private readonly idleWaiters = new Set<() => void>();
  private readonly pendingTimers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly counters = { sent: 0, failed: 0, logged: 0 };

  constructor(private readonly options: AlerterOptions) {
    this.logger = options.logger ?? silentLogger;
    this.queue = new AlertQueue(options.queueSize ?? 100);
    const intervalMs = Math.max(0, (options.intervalSeconds ?? 300) * 1000);
    this.limiter = new RateLimiter(intervalMs, (alert) => this.enqueue(alert));
    this.account = currentAccount();
    this.host = os.hostname();
    this.from = options.from?.trim() || `${this.account}@${this.host}`;
    this.retries = Math.max(0, options.retries ?? 3);
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 1000);
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  }

  notify(event: AlertEvent): void {
    try {
      if (this.closed) {
        this.logger.debug(`alert for ${event.program} (${event.kind}) ignored: the alerter is closed`);
        return;
      }
      const recipients = event.recipients.map((address) => address.trim()).filter((address) => address !== '');
      if (recipients.length === 0) return;
      const ready = this.limiter.offer({ ...event, recipients });
      if (ready === undefined) {
        this.logger.debug(`alert for ${event.program} (${event.kind}) held back by alert_interval`);
        return;
      }
      this.enqueue(ready);
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
        this.logger.warn(`alerts: flush gave up after ${timeoutMs} ms with ${this.queue.size} alert(s) still queued`);
        done();
      }, timeoutMs);
      timer.unref();
      this.idleWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const heldBack = this.limiter.close();
    const queued = this.queue.clear();
    if (heldBack + queued > 0) {
      this.logger.warn(`alerts: closing with ${queued} queued and ${heldBack} held-back alert(s) not sent`);
    }
    for (const pending of this.pendingTimers) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingTimers.clear();
    if (this.transport && this.transport.kind !== 'none') this.transport.transporter.close();
    this.notifyIdleIfDone();
  }

  stats(): AlerterStats {
    return {
      queued: this.queue.size,
      ...this.counters,
      dropped: this.queue.dropped,
      heldBack: this.limiter.heldBackCount(),
    };
  }

  private enqueue(alert: ReleasedAlert): void {
    if (this.closed) return;
    const dropped = this.queue.push(alert);
    if (dropped !== undefined) {
      this.logger.warn(
        `alerts: queue full (${this.queue.capacity}), dropped the oldest alert (${dropped.event.program} ${dropped.event.kind}); ` +
          `${this.queue.dropped} dropped so far`,
      );
    }
    if (!this.working) void this.work();
  }

  private async work(): Promise<void> {
    this.working = true;
    try {
      for (let alert = this.queue.shift(); alert !== undefined && !this.closed; alert = this.queue.shift()) {
        await this.deliver(alert);
      }
    } finally {
      this.working = false;
      this.notifyIdleIfDone();
    }
  }

  /** Sends one alert, retrying with backoff. Never throws: failures are logged. */
  private async deliver({ event, heldBack }: ReleasedAlert): Promise<void> {
    try {
      const transport = this.resolveTransport();
      const message = formatAlertMessage(event, await this.messageContext(event, heldBack));
      if (transport.kind === 'none') {
        this.counters.logged += 1;
        this.logger.info(
          `alert not sent (no mail transport): To: ${event.recipients.join(', ')}\nFrom: ${this.from}\nSubject: ${message.subject}\n\n${message.text}`,
        );
        return;
      }
      await this.sendWithRetries(transport, event, { from: this.from, to: event.recipients, ...message });
      this.counters.sent += 1;
      this.logger.debug(`alert for ${event.program} (${event.kind}) sent to ${event.recipients.join(', ')} through ${transport.description}`);
    } catch (error) {
      this.counters.failed += 1;
      this.logger.error(describe(error));
    }
  }

  private async messageContext(event: AlertEvent, heldBack: HeldBackSummary | undefined): Promise<AlertMessageContext> {
    const context: AlertMessageContext = { account: this.account, host: this.host };
    if (heldBack !== undefined) context.heldBack = heldBack;
    if (event.stderrFile !== undefined) {
      context.stderrTail = await readStderrTail(event.stderrFile, {
        maxLines: this.options.stderrTailLines ?? 20,
        maxBytes: this.options.stderrTailBytes ?? 8192,
        ...(event.stderrOffset === undefined ? {} : { from: event.stderrOffset }),
      });
    }
    return context;
  }

  /** Throws AlertSendError once the retries are used up or the alerter is closed. */
  private async sendWithRetries(transport: MailTransport, event: AlertEvent, mail: OutgoingMail): Promise<void> {
    const sendError = (attempts: number, cause: unknown) =>
      new AlertSendError({ program: event.program, recipients: event.recipients, transport: transport.description, attempts, cause });
    let delayMs = this.retryDelayMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await withTimeout(transport.transporter.sendMail(mail), this.sendTimeoutMs, transport.description);
        return;
      } catch (error) {
        if (attempt > this.retries || this.closed) throw sendError(attempt, error);
        this.logger.warn(
          `alert for ${event.program}: attempt ${attempt} through ${transport.description} failed (${describe(error)}); retrying in ${delayMs} ms`,
        );
      }
      await this.sleep(delayMs);
      if (this.closed) throw sendError(attempt, new Error('the alerter was closed before the next attempt'));
      delayMs *= 2;
    }
  }

  /** Chosen at the first alert (so a sendmail installed after start is found); "no transport" is logged once. */
  private resolveTransport(): AlertTransport {
    if (this.transport === undefined) {
      const transportOptions: Parameters<typeof createTransport>[0] = { env: this.options.env ?? process.env };
      if (this.options.sendmailPath !== undefined) transportOptions.sendmailPath = this.options.sendmailPath;
      if (this.options.smtpUrl !== undefined) transportOptions.smtpUrl = this.options.smtpUrl;
      this.transport = createTransport(transportOptions);
      if (this.transport.kind === 'none') {
        this.logger.warn(`alerts: no way to send mail: ${this.transport.reason}; alerts will only be logged`);
      } else {
        this.logger.debug(`alerts: sending through ${this.transport.description}`);
      }
    }
    return this.transport;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const pending = {
        timer: setTimeout(() => {
          this.pendingTimers.delete(pending);
          resolve();
        }, ms),
        resolve,
      };
      pending.timer.unref();
      this.pendingTimers.add(pending);
    });
  }

  private isIdle(): boolean {
    return !this.working && this.queue.size === 0;
  }

  private notifyIdleIfDone(): void {
    if (!this.isIdle()) return;
    for (const waiter of [...this.idleWaiters]) waiter();
  }
}

function currentAccount(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? `uid${process.getuid?.() ?? ''}`;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
