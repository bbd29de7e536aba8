import type { AlertChannel, ChannelContext } from './AlertChannel.js';
import { type AlertTransport, createTransport } from './createTransport.js';
import { DeliveryQueue } from './DeliveryQueue.js';
import { AlertSendError } from './errors.js';
import { type AlertMessageContext, formatAlertMessage } from './formatAlertMessage.js';
import { RateLimiter, type ReleasedAlert } from './rateLimiter.js';
import { readStderrTail } from './readStderrTail.js';
import { RetriesExhausted, retryWithBackoff } from './retryWithBackoff.js';
import type { AlertEvent, AlerterOptions, HeldBackSummary, TransportStats } from './types.js';
import { withTimeout } from './withTimeout.js';

/**
 * Email alerts (`email_alerts`): SMTP or sendmail through nodemailer, rate-limited per program.
 * 'recovered' events are not mailed (the original never sent them; the webhook and Alertmanager get them).
 */
export class MailChannel implements AlertChannel {
  readonly transport = 'mail' as const;
  private readonly limiter: RateLimiter;
  private readonly queue: DeliveryQueue<ReleasedAlert>;
  private readonly from: string;
  private mailTransport?: AlertTransport;
  private readonly counters = { sent: 0, failed: 0, logged: 0 };

  constructor(
    private readonly context: ChannelContext,
    private readonly options: AlerterOptions,
  ) {
    this.from = options.from?.trim() || `${context.account}@${context.host}`;
    this.queue = new DeliveryQueue<ReleasedAlert>(
      context.queueSize,
      (alert) => this.deliver(alert),
      (dropped, count) =>
        context.logger.warn(
          `alerts: queue full (${context.queueSize}), dropped the oldest alert (${dropped.event.program} ${dropped.event.kind}); ${count} dropped so far`,
        ),
      context.onIdle,
    );
    this.limiter = new RateLimiter(context.intervalMs, (alert) => this.queue.push(alert));
  }

  offer(event: AlertEvent): void {
    if (event.kind === 'recovered') return;
    const recipients = (event.recipients ?? []).map((address) => address.trim()).filter((address) => address !== '');
    if (recipients.length === 0) return;
    const ready = this.limiter.offer({ ...event, recipients });
    if (ready === undefined) {
      this.context.logger.debug(`alert for ${event.program} (${event.kind}) held back by alert_interval`);
      return;
    }
    this.queue.push(ready);
  }

  isIdle(): boolean {
    return this.queue.isIdle();
  }

  close(): { queued: number; heldBack: number } {
    const heldBack = this.limiter.close();
    const queued = this.queue.close();
    if (this.mailTransport && this.mailTransport.kind !== 'none') this.mailTransport.transporter.close();
    return { queued, heldBack };
  }

  stats(): TransportStats {
    return { queued: this.queue.size, ...this.counters, dropped: this.queue.dropped, heldBack: this.limiter.heldBackCount() };
  }

  /** Sends one alert, retrying with backoff. Never throws: failures are logged. */
  private async deliver({ event, heldBack }: ReleasedAlert): Promise<void> {
    const { logger } = this.context;
    try {
      const transport = this.resolveTransport();
      const message = formatAlertMessage(event, await this.messageContext(event, heldBack));
      if (transport.kind === 'none') {
        this.counters.logged += 1;
        logger.info(`alert not sent (no mail transport): To: ${event.recipients.join(', ')}\nFrom: ${this.from}\nSubject: ${message.subject}\n\n${message.text}`);
        return;
      }
      const mail = { from: this.from, to: event.recipients, ...message };
      await retryWithBackoff(() => withTimeout(transport.transporter.sendMail(mail), this.context.sendTimeoutMs, transport.description), {
        retries: this.context.retries,
        delayMs: this.context.retryDelayMs,
        sleep: (ms) => this.queue.sleep(ms),
        stopped: () => this.queue.closed,
        onRetry: (attempt, error, delayMs) =>
          logger.warn(`alert for ${event.program}: attempt ${attempt} through ${transport.description} failed (${describe(error)}); retrying in ${delayMs} ms`),
      }).catch((error: unknown) => {
        if (!(error instanceof RetriesExhausted)) throw error;
        throw new AlertSendError({ program: event.program, recipients: event.recipients, transport: transport.description, attempts: error.attempts, cause: error.lastError });
      });
      this.counters.sent += 1;
      logger.debug(`alert for ${event.program} (${event.kind}) sent to ${event.recipients.join(', ')} through ${transport.description}`);
    } catch (error) {
      this.counters.failed += 1;
      logger.error(describe(error));
    }
  }

  private async messageContext(event: AlertEvent, heldBack: HeldBackSummary | undefined): Promise<AlertMessageContext> {
    const context: AlertMessageContext = { account: this.context.account, host: this.context.host };
    if (heldBack !== undefined) context.heldBack = heldBack;
    if (event.stderrFile !== undefined) {
      context.stderrTail = await readStderrTail(event.stderrFile, {
        maxLines: this.context.stderrTailLines,
        maxBytes: this.context.stderrTailBytes,
        ...(event.stderrOffset === undefined ? {} : { from: event.stderrOffset }),
      });
    }
    return context;
  }

  /** Chosen at the first alert (so a sendmail installed after start is found); "no transport" is logged once. */
  private resolveTransport(): AlertTransport {
    if (this.mailTransport === undefined) {
      const transportOptions: Parameters<typeof createTransport>[0] = { env: this.options.env ?? process.env };
      if (this.options.sendmailPath !== undefined) transportOptions.sendmailPath = this.options.sendmailPath;
      if (this.options.smtpUrl !== undefined) transportOptions.smtpUrl = this.options.smtpUrl;
      this.mailTransport = createTransport(transportOptions);
      if (this.mailTransport.kind === 'none') {
        this.context.logger.warn(`alerts: no way to send mail: ${this.mailTransport.reason}; alerts will only be logged`);
      } else {
        this.context.logger.debug(`alerts: sending through ${this.mailTransport.description}`);
      }
    }
    return this.mailTransport;
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
