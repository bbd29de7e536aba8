import fs from 'node:fs';
import path from 'node:path';

/**
 * Wakes a waiter when something in the file's folder changes (inotify through fs.watch), or after
 * `pollMs` at the latest (a folder that cannot be watched, a network file system).
 */
export class ChangeSignal {
  private watcher: fs.FSWatcher | undefined;
  private wake: (() => void) | undefined;
  private changed = false;

  constructor(
    file: string,
    private readonly pollMs: number,
  ) {
    try {
      this.watcher = fs.watch(path.dirname(file), { persistent: false }, () => this.notify());
      this.watcher.on('error', () => this.close());
    } catch {
      this.watcher = undefined;
    }
  }

  /** Resolves on the next change (or one seen since the last wait), the poll interval, or abort. */
  wait(signal?: AbortSignal): Promise<void> {
    if (this.changed || signal?.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private notify(): void {
    this.changed = true;
    this.wake?.();
  }
}
