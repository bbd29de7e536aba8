import type { DaemonView, ProgramView } from '@usrsvc/api';

/** What each @usrsvc package reports through (structural typing). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Alerts delivered and given up on since usrsvcd started, for one transport (mail, webhook, alertmanager). */
export interface TransportAlertCounts {
  sent: number;
  failed: number;
}

/** Everything the metrics are made of: the daemon's own view, every program's, alert counts by transport. */
export interface MetricsSnapshot {
  daemon: DaemonView;
  programs: readonly ProgramView[];
  alerts?: Readonly<Record<string, TransportAlertCounts>>;
}
