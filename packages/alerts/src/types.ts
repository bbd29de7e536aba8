/** What the package reports through; each @usrsvc package declares it (structural typing). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Why usrsvcd sends an alert. 'recovered': a program that had been restarted or given up on has run
 * for success_seconds again (resolves its Alertmanager alerts; not mailed).
 */
export type AlertKind = 'started' | 'restarted' | 'monitor-restart' | 'gave-up' | 'recovered';

export const ALERT_KINDS: readonly AlertKind[] = ['started', 'restarted', 'monitor-restart', 'gave-up', 'recovered'];

/** How an alert leaves usrsvcd. */
export type TransportName = 'mail' | 'webhook' | 'alertmanager';

export const TRANSPORT_NAMES: readonly TransportName[] = ['mail', 'webhook', 'alertmanager'];

/** A program's `webhook_url` (else [Main]'s) and the secret that signs its bodies. */
export interface WebhookTarget {
  url: string;
  secret?: string;
}

/** One thing usrsvcd did to a program that its alert routes should hear about. */
export interface AlertEvent {
  program: string;
  /** Addresses from `email_alerts` (already split on commas). Empty: no mail. */
  recipients: string[];
  /** Where the JSON of this event is POSTed; unset: no webhook. */
  webhook?: WebhookTarget;
  /** The process the event is about (the new one, or the last one for gave-up), when known. */
  pid?: number;
  kind: AlertKind;
  /** One line, for people: "exited unexpectedly", "activityfile not modified in 130 s", ... */
  reason: string;
  time: Date;
  /** The program's stderr file; its last lines are read when the mail is sent. */
  stderrFile?: string;
  /** The stderr file's size when the failed launch began (ActionResult.stderrOffset): only what follows is quoted. */
  stderrOffset?: number;
}

/** Events of one program held back by the rate limit, summed up in the next mail. */
export interface HeldBackSummary {
  count: number;
  byKind: Partial<Record<AlertKind, number>>;
  /** Most frequent reasons first; at most `MAX_REASONS` distinct ones, the rest counted in `otherReasons`. */
  reasons: Array<{ reason: string; count: number }>;
  otherReasons: number;
  first: Date;
  last: Date;
}

/** The last lines of a stderr file, as read at send time. */
export interface StderrTail {
  file: string;
  lines: string[];
  /** True when the file holds more than what was read. */
  truncated: boolean;
  /** Set when the file could not be read (e.g. "ENOENT: no such file or directory"). */
  error?: string;
}

export interface AlertMessage {
  subject: string;
  text: string;
}

export interface AlerterOptions {
  /** `[Main] sendmail_path`: "auto" (default) or an absolute path. */
  sendmailPath?: string;
  /** `[Main] smtp_url`: smtp://user:pass@host:port or smtps://...; used instead of sendmail when set. */
  smtpUrl?: string;
  /** `[Main] email_from`; default account@host. */
  from?: string;
  /** `[Main] alert_interval`: at most one mail per program per interval (seconds, default 300; 0 = no limit). */
  intervalSeconds?: number;
  logger?: Logger;
  /** Where "auto" reads PATH. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Alerts waiting to be sent; when full the oldest is dropped (default 100). */
  queueSize?: number;
  /** Retries after a failed attempt (default 3: four attempts in all). */
  retries?: number;
  /** Wait before the first retry, doubled for each next one (default 1000 ms: 1 s, 2 s, 4 s). */
  retryDelayMs?: number;
  /** A mail attempt that takes longer fails (default 60 000 ms). */
  sendTimeoutMs?: number;
  /** A webhook or Alertmanager POST that takes longer fails (default 10 000 ms). */
  httpTimeoutMs?: number;
  /** `[Main] alertmanager_url`: every Alertmanager gets every alert (they deduplicate in a cluster). */
  alertmanagerUrls?: string[];
  /** Firing Alertmanager alerts are sent again this often, with endsAt 4 times as far ahead (default 60 000 ms). */
  alertmanagerResendMs?: number;
  /** Bounds of the stderr tail put in each mail and webhook body (default 20 lines, 8192 bytes). */
  stderrTailLines?: number;
  stderrTailBytes?: number;
}

/** One transport's counts. */
export interface TransportStats {
  queued: number;
  sent: number;
  failed: number;
  /** Alerts dropped because the queue was full. */
  dropped: number;
  /** Alerts only logged because no transport exists. */
  logged: number;
  /** Events held back by the rate limit, not yet released. */
  heldBack: number;
}

/** Totals over every transport, and each transport's own counts. */
export interface AlerterStats extends TransportStats {
  byTransport: Record<TransportName, TransportStats>;
}

export interface Alerter {
  /** Queues an alert and returns at once; never throws, never waits for the network. */
  notify(event: AlertEvent): void;
  /** Resolves when every queued alert was sent or given up on, or after timeoutMs (default 10 000). */
  flush(timeoutMs?: number): Promise<void>;
  /** Stops the rate-limit timers and retries, closes the transport. Held-back and queued alerts are dropped (and logged). */
  close(): Promise<void>;
  stats(): AlerterStats;
}
