import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from './log.js';

interface WatchedFolder {
  watcher: fs.FSWatcher;
  /** File name in the folder -> the programs it concerns. */
  names: Map<string, Set<string>>;
}

/**
 * Tells which programs' files changed (pidfiles written or removed, user-stop marks set or
 * cleared) by inotify on the folders that hold them: no polling, no wake-up while nothing
 * happens. A folder that cannot be watched is logged and left to the daemon's safety scan.
 */
export class PathWatcher {
  private readonly folders = new Map<string, WatchedFolder>();
  private readonly unwatchable = new Map<string, string>();

  constructor(
    private readonly onChange: (programs: ReadonlySet<string>) => void,
    private readonly log: Logger,
  ) {}

  /** Folders that could not be watched, with why. */
  get unwatched(): ReadonlyMap<string, string> {
    return this.unwatchable;
  }

  /** Watches exactly these files (absolute paths), each for the programs named. */
  sync(files: ReadonlyMap<string, ReadonlySet<string>>): void {
    const wanted = new Map<string, Map<string, Set<string>>>();
    for (const [file, programs] of files) {
      const dir = path.dirname(file);
      const names = wanted.get(dir) ?? new Map<string, Set<string>>();
      names.set(path.basename(file), new Set([...(names.get(path.basename(file)) ?? []), ...programs]));
      wanted.set(dir, names);
    }
    for (const [dir, folder] of this.folders) {
      if (!wanted.has(dir)) {
        folder.watcher.close();
        this.folders.delete(dir);
      }
    }
    for (const dir of this.unwatchable.keys()) if (!wanted.has(dir)) this.unwatchable.delete(dir);
    for (const [dir, names] of wanted) {
      const existing = this.folders.get(dir);
      if (existing) {
        existing.names = names;
        continue;
      }
      this.watch(dir, names);
    }
  }

  close(): void {
    for (const folder of this.folders.values()) folder.watcher.close();
    this.folders.clear();
  }

  private watch(dir: string, names: Map<string, Set<string>>): void {
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, { persistent: false }, (_event, filename) => this.changed(dir, filename));
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? String(error);
      const programs = [...new Set([...names.values()].flatMap((set) => [...set]))].join(', ');
      if (!this.unwatchable.has(dir)) {
        this.log.warn(`cannot watch ${dir} (${why}): changes there (${programs}) are seen by the safety scan only.`);
      }
      this.unwatchable.set(dir, why);
      return;
    }
    watcher.on('error', (error) => {
      this.log.warn(`watch on ${dir} failed (${error.message}): changes there are seen by the safety scan only.`);
      watcher.close();
      this.folders.delete(dir);
      this.unwatchable.set(dir, error.message);
    });
    this.unwatchable.delete(dir);
    this.folders.set(dir, { watcher, names });
  }

  private changed(dir: string, filename: string | Buffer | null): void {
    const folder = this.folders.get(dir);
    if (!folder) return;
    if (filename === null) {
      // The kernel dropped the name (queue overflow): every program of this folder may have changed.
      this.onChange(new Set([...folder.names.values()].flatMap((set) => [...set])));
      return;
    }
    const programs = folder.names.get(filename.toString());
    if (programs) this.onChange(programs);
  }
}
