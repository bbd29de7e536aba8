import type { DaemonView, ProgramView } from '@usrsvc/api';
import type { MainConfig } from '@usrsvc/config';
import type { TextfileWriter, UsrsvcMetrics } from '@usrsvc/metrics';
import type { Logger } from './log.js';

/** What the metrics are read from: the daemon's views and its alert counts. */
export interface MetricsSource {
  daemonView(): DaemonView;
  programViews(): ProgramView[];
  alertCounts(): Record<string, { sent: number; failed: number }>;
}

/**
 * usrsvcd's Prometheus metrics: GET /metrics on the local API and `[Main] metrics_textfile`.
 * @usrsvc/metrics (prom-client) is loaded at the first scrape or when a textfile is configured, so
 * a daemon that uses neither never pays for it.
 */
export class DaemonMetrics {
  private metrics: Promise<UsrsvcMetrics> | undefined;
  private writer: TextfileWriter | undefined;
  private writerPath: string | undefined;
  private configuring: Promise<void> = Promise.resolve();
  /** What changed() last saw of each program. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly source: MetricsSource,
    private readonly log: Logger,
  ) {}

  /** The exposition text of the daemon's current state, and its content type. */
  async render(): Promise<{ text: string; contentType: string }> {
    const metrics = await this.load();
    metrics.update({ daemon: this.source.daemonView(), programs: this.source.programViews(), alerts: this.source.alertCounts() });
    return { text: await metrics.render(), contentType: metrics.contentType };
  }

  /**
   * Something changed: the textfile (if any) is written within its debounce. For a program's
   * change, only what an alert rule would look at counts (state, process, restart counts, monitor
   * verdicts); new check durations or memory figures wait for the writer's periodic render, so
   * monitor passes do not cause a render each.
   */
  changed(program?: ProgramView): void {
    if (!this.writer) return;
    if (program) {
      const counts = program.restartCounts;
      const key = `${program.state.state} ${program.process?.pid ?? '-'} ${Object.values(counts).join(' ')} ${program.monitors.map((v) => v.verdict).join(',')}`;
      if (this.seen.get(program.name) === key) return;
      this.seen.set(program.name, key);
    }
    this.writer.changed();
  }

  /** Starts, moves or stops the textfile writer for `[Main] metrics_textfile` (at start and after a reread). */
  configure(main: MainConfig): Promise<void> {
    this.configuring = this.configuring.then(() => this.apply(main.metricsTextfile)).catch((error: unknown) => {
      this.log.error(`metrics_textfile: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.configuring;
  }

  /** A last write of the textfile; the file stays (its age tells Prometheus usrsvcd stopped). */
  async close(): Promise<void> {
    await this.configuring;
    await this.writer?.close();
    this.writer = undefined;
  }

  private async apply(path: string | undefined): Promise<void> {
    if (path === this.writerPath) return;
    await this.writer?.close();
    this.writer = undefined;
    this.writerPath = path;
    if (path === undefined) return;
    const { TextfileWriter } = await import('@usrsvc/metrics');
    this.writer = new TextfileWriter({ path, render: async () => (await this.render()).text, logger: this.log });
    this.log.info(`metrics_textfile: writing Prometheus metrics to ${path}`);
    await this.writer.start();
  }

  private load(): Promise<UsrsvcMetrics> {
    this.metrics ??= import('@usrsvc/metrics').then(({ UsrsvcMetrics }) => new UsrsvcMetrics());
    return this.metrics;
  }
}
