import type { AlertEvent, TransportName, TransportStats } from './types.js';

/** One way alerts leave usrsvcd (mail, webhook, Alertmanager), with its own queue and retries. */
export interface AlertChannel {
  readonly transport: TransportName;
  /** Takes the event if it concerns this channel; never throws, never waits. */
  offer(event: AlertEvent): void;
  /** Nothing queued and nothing being sent. */
  isIdle(): boolean;
  /** Stops timers and retries; returns what was dropped. */
  close(): { queued: number; heldBack: number };
  stats(): TransportStats;
}

/** What each channel is built with. */
export interface ChannelContext {
  account: string;
  host: string;
  logger: import('./types.js').Logger;
  queueSize: number;
  retries: number;
  retryDelayMs: number;
  sendTimeoutMs: number;
  intervalMs: number;
  stderrTailLines: number;
  stderrTailBytes: number;
  /** Called when a channel's worker runs out of work (the alerter's flush waits for it). */
  onIdle(): void;
}
