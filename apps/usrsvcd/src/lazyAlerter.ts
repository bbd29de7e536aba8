import type { Alerter, AlertEvent, TransportName } from '@usrsvc/alerts';
import type { MainConfig } from '@usrsvc/config';
import type { Logger } from './log.js';

const settingsOf = (main: MainConfig) =>
  JSON.stringify([main.sendmailPath, main.smtpUrl, main.emailFrom, main.alertInterval, main.alertmanagerUrls]);

const TRANSPORTS: readonly TransportName[] = ['mail', 'webhook', 'alertmanager'];

/**
 * The daemon's alerts. @usrsvc/alerts (and nodemailer, ~10 MB) is loaded on the first alert that
 * has somewhere to go (recipients, a webhook or alertmanager_url), which most daemons never send.
 * notify() never throws and never waits.
 */
export class LazyAlerter {
  private alerter: Promise<Alerter | undefined> | undefined;
  private settings: string | undefined;
  /** Counts of alerters replaced after a reread, so the totals only grow. */
  private readonly retired: Record<string, { sent: number; failed: number }> = {};
  private loaded: Alerter | undefined;

  constructor(
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  notify(main: MainConfig, event: AlertEvent): void {
    if (event.recipients.length === 0 && !event.webhook && main.alertmanagerUrls.length === 0) return;
    this.get(main)
      .then((alerter) => alerter?.notify(event))
      .catch((error: unknown) => this.log.error(`alert for ${event.program} failed: ${String(error)}`));
  }

  /** Alerts sent and given up on since usrsvcd started, by transport (for the metrics). */
  counts(): Record<string, { sent: number; failed: number }> {
    const current = this.loaded?.stats().byTransport;
    const counts: Record<string, { sent: number; failed: number }> = {};
    for (const transport of TRANSPORTS) {
      const retired = this.retired[transport] ?? { sent: 0, failed: 0 };
      counts[transport] = { sent: retired.sent + (current?.[transport].sent ?? 0), failed: retired.failed + (current?.[transport].failed ?? 0) };
    }
    return counts;
  }

  /** After a reread: new alert settings take a new alerter; the old one sends what it holds. */
  configure(main: MainConfig): void {
    if (this.settings === undefined || this.settings === settingsOf(main)) return;
    const old = this.alerter;
    const oldLoaded = this.loaded;
    this.alerter = undefined;
    this.loaded = undefined;
    this.settings = undefined;
    void old
      ?.then((alerter) => alerter?.flush(5_000).then(() => alerter.close()))
      .catch(() => undefined)
      .finally(() => this.retire(oldLoaded));
  }

  async close(timeoutMs: number): Promise<void> {
    const alerter = await this.alerter;
    if (!alerter) return;
    await alerter.flush(timeoutMs);
    await alerter.close();
  }

  private retire(alerter: Alerter | undefined): void {
    if (!alerter) return;
    const byTransport = alerter.stats().byTransport;
    for (const transport of TRANSPORTS) {
      const retired = this.retired[transport] ?? { sent: 0, failed: 0 };
      retired.sent += byTransport[transport].sent;
      retired.failed += byTransport[transport].failed;
      this.retired[transport] = retired;
    }
  }

  private get(main: MainConfig): Promise<Alerter | undefined> {
    if (this.alerter) return this.alerter;
    this.settings = settingsOf(main);
    this.alerter = import('@usrsvc/alerts')
      .then(({ createAlerter }) => {
        this.loaded = createAlerter({
          sendmailPath: main.sendmailPath,
          smtpUrl: main.smtpUrl,
          from: main.emailFrom,
          intervalSeconds: main.alertInterval,
          alertmanagerUrls: main.alertmanagerUrls,
          logger: this.log,
          env: this.env,
        });
        return this.loaded;
      })
      .catch((error: unknown) => {
        this.log.error(`alerts are unavailable: ${String(error)}`);
        return undefined;
      });
    return this.alerter;
  }
}
