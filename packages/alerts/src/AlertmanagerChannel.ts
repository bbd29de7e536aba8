import type { AlertChannel, ChannelContext } from './AlertChannel.js';
import { ALERTMANAGER_ALERTS, type PostableAlert } from './alertmanagerAlerts.js';
import { DeliveryQueue } from './DeliveryQueue.js';
import { formatAlertMessage } from './formatAlertMessage.js';
import { HttpEndpoint } from './HttpEndpoint.js';
import { postJson } from './postJson.js';
import type { AlertEvent, TransportStats } from './types.js';

interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  /** Set once the program recovered: the alert is resolved at that time. */
  resolvedAt?: Date;
}

/** A request to push the whole current state (a newer one supersedes a waiting one). */
type Push = 'push';

type Endpoint = HttpEndpoint<Push>;

/**
 * `alertmanager_url`: keeps one alert per (alertname, program) and POSTs the whole set to every
 * Alertmanager listed, at each event and every resendMs while any is firing (endsAt 4 resends
 * ahead, as Prometheus does, so alerts of a usrsvcd that died resolve by themselves). 'recovered'
 * sets endsAt: Alertmanager shows the alert resolved. Alertmanager groups, silences and throttles,
 * so there is no alert_interval here; each URL's queue holds one push, the newest (it carries the
 * whole state), so an unreachable Alertmanager costs one request per retry, never a backlog.
 */
export class AlertmanagerChannel implements AlertChannel {
  readonly transport = 'alertmanager' as const;
  private readonly alerts = new Map<string, ActiveAlert>();
  private readonly endpoints: Endpoint[];
  private readonly resendTimer: NodeJS.Timeout;
  private readonly counters = { sent: 0, failed: 0 };
  /** Events not yet carried by a push to each endpoint (a superseded push hands its count on). */
  private readonly unsentEvents = new Map<string, number>();

  constructor(
    private readonly context: ChannelContext,
    urls: readonly string[],
    private readonly resendMs: number,
    private readonly timeoutMs: number,
  ) {
    this.endpoints = [...new Set(urls)].map((base) => {
      const url = `${base.replace(/\/+$/, '')}/api/v2/alerts`;
      const endpoint: Endpoint = new HttpEndpoint<Push>(
        'alertmanager',
        url,
        context,
        () => new DeliveryQueue<Push>(1, () => this.deliver(endpoint), () => undefined, context.onIdle),
        base,
      );
      return endpoint;
    });
    this.resendTimer = setInterval(() => this.resend(), resendMs);
    this.resendTimer.unref();
  }

  offer(event: AlertEvent): void {
    if (this.endpoints.length === 0) return;
    if (event.kind === 'recovered') {
      let resolved = 0;
      for (const alert of this.alerts.values()) {
        if (alert.labels.program !== event.program || alert.resolvedAt) continue;
        alert.resolvedAt = validDate(event.time);
        alert.annotations.resolution = event.reason;
        resolved += 1;
      }
      if (resolved > 0) this.pushAll(1);
      return;
    }
    const raised = ALERTMANAGER_ALERTS[event.kind];
    if (!raised) return;
    const key = `${raised.alertname}\u0000${event.program}`;
    const current = this.alerts.get(key);
    const summary = formatAlertMessage(event, { account: this.context.account, host: this.context.host }).subject.replace(/^\[usrsvc\] /, '');
    const annotations = { summary, reason: event.reason, ...(event.pid ? { pid: String(event.pid) } : {}) };
    if (current && !current.resolvedAt) {
      current.annotations = annotations;
    } else {
      this.alerts.set(key, {
        labels: { alertname: raised.alertname, program: event.program, user: this.context.account, host: this.context.host, severity: raised.severity },
        annotations,
        startsAt: validDate(event.time),
      });
    }
    this.pushAll(1);
  }

  isIdle(): boolean {
    return this.endpoints.every((endpoint) => endpoint.queue.isIdle());
  }

  close(): { queued: number; heldBack: number } {
    clearInterval(this.resendTimer);
    let queued = 0;
    for (const endpoint of this.endpoints) queued += endpoint.queue.close();
    return { queued, heldBack: 0 };
  }

  stats(): TransportStats {
    let queued = 0;
    for (const endpoint of this.endpoints) queued += endpoint.queue.size;
    return { queued, ...this.counters, dropped: 0, logged: 0, heldBack: 0 };
  }

  /** What Alertmanager is told now: firing alerts end 4 resends from now unless resent; resolved ones ended when the program recovered. */
  postableAlerts(now = new Date()): PostableAlert[] {
    const firingUntil = new Date(now.getTime() + 4 * this.resendMs).toISOString();
    return [...this.alerts.values()].map((alert) => ({
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt.toISOString(),
      endsAt: alert.resolvedAt ? alert.resolvedAt.toISOString() : firingUntil,
    }));
  }

  private pushAll(events: number): void {
    for (const endpoint of this.endpoints) {
      this.unsentEvents.set(endpoint.url, (this.unsentEvents.get(endpoint.url) ?? 0) + events);
      endpoint.queue.push('push');
    }
  }

  /** Every resendMs: firing alerts again; resolved ones are sent for 4 resends more, then forgotten. */
  private resend(): void {
    const now = Date.now();
    for (const [key, alert] of this.alerts) {
      if (alert.resolvedAt && now - alert.resolvedAt.getTime() > 4 * this.resendMs) this.alerts.delete(key);
    }
    if (this.alerts.size === 0) return;
    for (const endpoint of this.endpoints) if (endpoint.queue.isIdle()) endpoint.queue.push('push');
  }

  private async deliver(endpoint: Endpoint): Promise<void> {
    const events = this.unsentEvents.get(endpoint.url) ?? 0;
    this.unsentEvents.set(endpoint.url, 0);
    const failure = await endpoint.deliver(() => postJson(endpoint.url, JSON.stringify(this.postableAlerts()), endpoint.where, { timeoutMs: this.timeoutMs }));
    if (failure === undefined) this.counters.sent += events;
    else this.counters.failed += events;
  }
}

function validDate(time: Date): Date {
  return time instanceof Date && !Number.isNaN(time.getTime()) ? time : new Date();
}
