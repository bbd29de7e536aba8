import type { AlertChannel, ChannelContext } from './AlertChannel.js';
import { DeliveryQueue } from './DeliveryQueue.js';
import { HttpEndpoint } from './HttpEndpoint.js';
import { postJson } from './postJson.js';
import { RateLimiter, type ReleasedAlert } from './rateLimiter.js';
import { readStderrTail } from './readStderrTail.js';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from './signWebhookBody.js';
import type { AlertEvent, TransportStats } from './types.js';
import { webhookPayload } from './webhookPayload.js';

/**
 * `webhook_url`: one JSON POST per event (all kinds, 'recovered' too), rate-limited per program like
 * mail. Each URL has its own queue, so a dead endpoint never delays another.
 */
export class WebhookChannel implements AlertChannel {
  readonly transport = 'webhook' as const;
  private readonly limiter: RateLimiter;
  private readonly endpoints = new Map<string, HttpEndpoint<ReleasedAlert>>();
  private readonly counters = { sent: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly context: ChannelContext,
    private readonly timeoutMs: number,
  ) {
    this.limiter = new RateLimiter(context.intervalMs, (alert) => this.enqueue(alert));
  }

  offer(event: AlertEvent): void {
    if (!event.webhook?.url) return;
    const ready = this.limiter.offer(event);
    if (ready === undefined) {
      this.context.logger.debug(`webhook alert for ${event.program} (${event.kind}) held back by alert_interval`);
      return;
    }
    this.enqueue(ready);
  }

  isIdle(): boolean {
    return [...this.endpoints.values()].every((endpoint) => endpoint.queue.isIdle());
  }

  close(): { queued: number; heldBack: number } {
    const heldBack = this.limiter.close();
    let queued = 0;
    for (const endpoint of this.endpoints.values()) queued += endpoint.queue.close();
    return { queued, heldBack };
  }

  stats(): TransportStats {
    let queued = 0;
    for (const endpoint of this.endpoints.values()) queued += endpoint.queue.size;
    return { queued, ...this.counters, logged: 0, heldBack: this.limiter.heldBackCount() };
  }

  private enqueue(alert: ReleasedAlert): void {
    const url = alert.event.webhook?.url;
    if (!url) return;
    let endpoint = this.endpoints.get(url);
    if (endpoint === undefined) {
      endpoint = new HttpEndpoint('webhook', url, this.context, (where) =>
        new DeliveryQueue<ReleasedAlert>(
          this.context.queueSize,
          (item) => this.deliver(item, url),
          (dropped, count) => {
            this.counters.dropped += 1;
            this.context.logger.warn(`${where}: queue full, dropped the oldest alert (${dropped.event.program} ${dropped.event.kind}); ${count} dropped so far`);
          },
          this.context.onIdle,
        ),
      );
      this.endpoints.set(url, endpoint);
    }
    endpoint.queue.push(alert);
  }

  private async deliver({ event, heldBack }: ReleasedAlert, url: string): Promise<void> {
    const endpoint = this.endpoints.get(url);
    if (!endpoint) return;
    const context: Parameters<typeof webhookPayload>[1] = { account: this.context.account, host: this.context.host };
    if (heldBack) context.heldBack = heldBack;
    if (event.stderrFile !== undefined) {
      context.stderrTail = await readStderrTail(event.stderrFile, {
        maxLines: this.context.stderrTailLines,
        maxBytes: this.context.stderrTailBytes,
        ...(event.stderrOffset === undefined ? {} : { from: event.stderrOffset }),
      });
    }
    const body = JSON.stringify(webhookPayload(event, context));
    const headers: Record<string, string> = { 'x-usrsvc-event': event.kind };
    if (event.webhook?.secret) headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] = signWebhookBody(body, event.webhook.secret);
    const failure = await endpoint.deliver(() => postJson(url, body, endpoint.where, { headers, timeoutMs: this.timeoutMs }));
    if (failure === undefined) {
      this.counters.sent += 1;
      this.context.logger.debug(`webhook alert for ${event.program} (${event.kind}) sent to ${endpoint.where}`);
    } else {
      this.counters.failed += 1;
      this.context.logger.debug(`webhook alert for ${event.program} (${event.kind}) not sent to ${endpoint.where} after ${failure.attempts} attempt(s): ${failure.reason}`);
    }
  }
}
