import type { ChannelContext } from './AlertChannel.js';
import type { DeliveryQueue } from './DeliveryQueue.js';
import { EndpointHealth } from './EndpointHealth.js';
import { HttpDeliveryError } from './errors.js';
import { describe } from './MailChannel.js';
import { redactHttpUrl } from './postJson.js';
import { RetriesExhausted, retryWithBackoff } from './retryWithBackoff.js';

/** One webhook or Alertmanager URL: its queue, its health, and how it is named in logs. */
export class HttpEndpoint<T> {
  readonly where: string;
  readonly health: EndpointHealth;
  readonly queue: DeliveryQueue<T>;

  /** `url` is where alerts are POSTed; logs name `shownUrl` (redacted), by default the same. */
  constructor(
    kind: string,
    readonly url: string,
    private readonly context: ChannelContext,
    queue: (where: string) => DeliveryQueue<T>,
    shownUrl = url,
  ) {
    this.where = `${kind} ${redactHttpUrl(shownUrl)}`;
    this.health = new EndpointHealth(this.where, context.logger);
    this.queue = queue(this.where);
  }

  /**
   * Runs `attempt` with retries and backoff; a failure is told to the endpoint's health (logged
   * once). Resolves with undefined when delivered, else with the reason it was given up on.
   */
  async deliver(attempt: () => Promise<void>): Promise<{ reason: string; attempts: number } | undefined> {
    try {
      await retryWithBackoff(attempt, {
        retries: this.context.retries,
        delayMs: this.context.retryDelayMs,
        sleep: (ms) => this.queue.sleep(ms),
        stopped: () => this.queue.closed,
        onRetry: (_n, error) => this.health.failed(reasonOf(error)),
      });
      this.health.succeeded();
      return undefined;
    } catch (error) {
      const cause = error instanceof RetriesExhausted ? error.lastError : error;
      const reason = reasonOf(cause);
      this.health.failed(reason);
      return { reason, attempts: error instanceof RetriesExhausted ? error.attempts : 1 };
    }
  }
}

function reasonOf(error: unknown): string {
  return error instanceof HttpDeliveryError ? error.reason : describe(error);
}
