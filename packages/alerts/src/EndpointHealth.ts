import type { Logger } from './types.js';

/**
 * Keeps an unreachable endpoint from flooding the log: its first failure (or a new reason) is a
 * warning, repeats are debug, and it is said once when it answers again.
 */
export class EndpointHealth {
  private downReason: string | undefined;

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
  ) {}

  failed(reason: string): void {
    if (reason === this.downReason) {
      this.logger.debug(`${this.what} still failing: ${reason}`);
      return;
    }
    this.downReason = reason;
    this.logger.warn(`${this.what} failed: ${reason}; alerts to it are retried with backoff (logged again when it answers)`);
  }

  succeeded(): void {
    if (this.downReason === undefined) return;
    this.downReason = undefined;
    this.logger.info(`${this.what} answers again`);
  }
}
