import fs from 'node:fs/promises';
import type { Logger } from './types.js';
import { writeFileAtomic } from './writeFileAtomic.js';

export interface TextfileWriterOptions {
  /** `[Main] metrics_textfile`: absolute path ending in .prom. */
  path: string;
  /** Produces the file's content (UsrsvcMetrics#render after an update). */
  render: () => Promise<string> | string;
  /** Changes closer together than this are written once (default 250 ms). */
  debounceMs?: number;
  /** The file's mtime is renewed this often even when nothing changed, so it says usrsvcd is alive (default 15 000 ms). */
  refreshMs?: number;
  /**
   * Rendered again at least this often without a change (values that move on their own, such as
   * resident memory); in between, a refresh only renews the mtime, which costs no render. A render
   * that gives the text already in the file renews the mtime too (default 60 000 ms).
   */
  rerenderMs?: number;
  logger?: Logger;
}

export interface TextfileWriterStats {
  writes: number;
  /** Refreshes that only renewed the mtime. */
  touches: number;
  failures: number;
  /** Duration of the last write (render + write + rename), in ms. */
  lastWriteMs: number;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Keeps a node_exporter textfile up to date: written at start and after each change (debounced);
 * every refreshMs its mtime is renewed, and every rerenderMs it is written again. One write at a
 * time; a change during a write causes one more. A failing write is logged once per distinct reason
 * (and when it works again); it never throws to the caller.
 */
export class TextfileWriter {
  private readonly logger: Logger;
  private readonly debounceMs: number;
  private readonly refreshMs: number;
  private readonly rerenderMs: number;
  private lastWriteAt = 0;
  private lastText: string | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private lastError: string | undefined;
  private readonly counters: TextfileWriterStats = { writes: 0, touches: 0, failures: 0, lastWriteMs: 0 };

  constructor(private readonly options: TextfileWriterOptions) {
    this.logger = options.logger ?? silent;
    this.debounceMs = options.debounceMs ?? 250;
    this.refreshMs = options.refreshMs ?? 15_000;
    this.rerenderMs = options.rerenderMs ?? 60_000;
  }

  get path(): string {
    return this.options.path;
  }

  /** Writes now and every refreshMs from then on. */
  start(): Promise<void> {
    this.scheduleRefresh();
    return this.flush();
  }

  /** Something the metrics show changed: write soon (at most once per debounceMs). */
  changed(): void {
    if (this.closed || this.debounceTimer !== undefined) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.flush();
    }, this.debounceMs);
    this.debounceTimer.unref();
  }

  /** Writes now (after the write in progress, if any). Never rejects. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.writing) {
      this.again = true;
      return this.writing;
    }
    this.writing = this.writeLoop().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  stats(): TextfileWriterStats {
    return { ...this.counters };
  }

  /** Stops the timers after a last write. The file stays: its age tells Prometheus usrsvcd stopped reporting. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.debounceTimer);
    clearInterval(this.refreshTimer);
    this.debounceTimer = undefined;
    await this.flush();
    this.closed = true;
    await this.writing;
  }

  private async writeLoop(): Promise<void> {
    do {
      this.again = false;
      await this.writeOnce();
    } while (this.again && !this.closed);
  }

  private async writeOnce(): Promise<void> {
    const started = performance.now();
    try {
      const text = await this.options.render();
      this.lastWriteAt = Date.now();
      if (text === this.lastText && this.lastError === undefined && (await this.touch())) return;
      await writeFileAtomic(this.options.path, text);
      this.lastText = text;
      this.counters.writes += 1;
      this.counters.lastWriteMs = performance.now() - started;
      if (this.lastError !== undefined) {
        this.logger.info(`metrics_textfile ${this.options.path} is written again`);
        this.lastError = undefined;
      }
    } catch (error) {
      this.counters.failures += 1;
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== this.lastError) this.logger.warn(`metrics_textfile ${this.options.path} could not be written: ${reason}`);
      this.lastError = reason;
    }
  }

  private scheduleRefresh(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = setInterval(() => void this.refresh(), this.refreshMs);
    this.refreshTimer.unref();
  }

  /** Renews the mtime, or writes when the last write is rerenderMs old, failed, or the file is gone. */
  private async refresh(): Promise<void> {
    if (this.closed || this.writing) return;
    if (this.lastError !== undefined || Date.now() - this.lastWriteAt >= this.rerenderMs) {
      await this.flush();
      return;
    }
    if (!(await this.touch())) await this.flush();
  }

  /** Renews the file's mtime; false when it cannot (the file is gone). */
  private async touch(): Promise<boolean> {
    try {
      const now = new Date();
      await fs.utimes(this.options.path, now, now);
      this.counters.touches += 1;
      return true;
    } catch {
      this.lastText = undefined;
      return false;
    }
  }
}
