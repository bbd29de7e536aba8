import type { Alerter, AlertEvent } from '@usrsvc/alerts';
import type { MainConfig } from '@usrsvc/config';
import type { Logger } from './log.js';

const settingsOf = (main: MainConfig) => JSON.stringify([main.sendmailPath, main.smtpUrl, main.emailFrom, main.alertInterval]);

/**
 * The daemon's alerts. @usrsvc/alerts (and nodemailer, ~10 MB) is loaded on the first alert, which
 * most daemons never send. notify() never throws and never waits.
 */
export class LazyAlerter {
  private alerter: Promise<Alerter | undefined> | undefined;
  private settings: string | undefined;

  constructor(
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  notify(main: MainConfig, event: AlertEvent): void {
    if (event.recipients.length === 0) return;
    this.get(main)
      .then((alerter) => alerter?.notify(event))
      .catch((error: unknown) => this.log.error(`alert for ${event.program} failed: ${String(error)}`));
  }

  /** After a reread: new mail settings take a new alerter; the old one sends what it holds. */
  configure(main: MainConfig): void {
    if (this.settings === undefined || this.settings === settingsOf(main)) return;
    const old = this.alerter;
    this.alerter = undefined;
    this.settings = undefined;
    void old?.then((alerter) => alerter?.flush(5_000).then(() => alerter.close())).catch(() => undefined);
  }

  async close(timeoutMs: number): Promise<void> {
    const alerter = await this.alerter;
    if (!alerter) return;
    await alerter.flush(timeoutMs);
    await alerter.close();
  }

  private get(main: MainConfig): Promise<Alerter | undefined> {
    if (this.alerter) return this.alerter;
    this.settings = settingsOf(main);
    this.alerter = import('@usrsvc/alerts')
      .then(({ createAlerter }) =>
        createAlerter({
          sendmailPath: main.sendmailPath,
          smtpUrl: main.smtpUrl,
          from: main.emailFrom,
          intervalSeconds: main.alertInterval,
          logger: this.log,
          env: this.env,
        }),
      )
      .catch((error: unknown) => {
        this.log.error(`email alerts are unavailable: ${String(error)}`);
        return undefined;
      });
    return this.alerter;
  }
}
