import type { AlertKind } from './types.js';

/** The Alertmanager alert each kind of event raises; 'started' raises none, 'recovered' resolves them. */
export const ALERTMANAGER_ALERTS: Partial<Record<AlertKind, { alertname: string; severity: 'warning' | 'critical' }>> = {
  restarted: { alertname: 'UsrsvcProgramRestarted', severity: 'warning' },
  'monitor-restart': { alertname: 'UsrsvcProgramMonitorRestart', severity: 'warning' },
  'gave-up': { alertname: 'UsrsvcProgramGaveUp', severity: 'critical' },
};

/** One alert as Alertmanager's POST /api/v2/alerts takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}
