/** A setting the alerter cannot use (e.g. an smtp_url that is not smtp:// or smtps://). */
export class AlertConfigError extends Error {
  readonly code = 'USRSVC_ALERT_CONFIG';
  readonly setting: string;
  readonly value: string;

  constructor(setting: string, value: string, detail: string) {
    super(`[Main] ${setting} = ${value}: ${detail}`);
    this.name = 'AlertConfigError';
    this.setting = setting;
    this.value = value;
  }
}

/** An alert that could not be delivered; carries who it was for and why it failed. */
export class AlertSendError extends Error {
  readonly code = 'USRSVC_ALERT_SEND';
  readonly program: string;
  readonly recipients: string[];
  readonly transport: string;
  readonly attempts: number;

  constructor(options: { program: string; recipients: string[]; transport: string; attempts: number; cause: unknown }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      `alert for program ${options.program} to ${options.recipients.join(', ')} not sent through ${options.transport} ` +
        `after ${options.attempts} attempt${options.attempts === 1 ? '' : 's'}: ${reason}`,
      { cause: options.cause },
    );
    this.name = 'AlertSendError';
    this.program = options.program;
    this.recipients = options.recipients;
    this.transport = options.transport;
    this.attempts = options.attempts;
  }
}

/** An attempt that took longer than sendTimeoutMs. */
export class AlertTimeoutError extends Error {
  readonly code = 'USRSVC_ALERT_TIMEOUT';
  readonly timeoutMs: number;

  constructor(transport: string, timeoutMs: number) {
    super(`${transport} did not finish within ${timeoutMs} ms`);
    this.name = 'AlertTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** An HTTP endpoint (webhook, Alertmanager) that did not take an alert: unreachable, timed out, or not 2xx. */
export class HttpDeliveryError extends Error {
  readonly code = 'USRSVC_ALERT_HTTP';
  /** The endpoint, redacted for logs. */
  readonly endpoint: string;
  readonly status?: number;

  constructor(endpoint: string, reason: string, status?: number) {
    super(`${endpoint}: ${reason}`);
    this.name = 'HttpDeliveryError';
    this.endpoint = endpoint;
    if (status !== undefined) this.status = status;
  }

  /** The reason alone, without the endpoint. */
  get reason(): string {
    return this.message.slice(this.endpoint.length + 2);
  }
}
