import fs from 'node:fs';
import path from 'node:path';
import type { ChangeIgnore } from './changeIgnore.js';

/** What a TreeWatcher reports. */
export interface TreeWatcherEvents {
  /** A watched path changed: created, written, removed, renamed, or its attributes. */
  changed(file: string): void;
  /** Something worth a log line: a root that does not exist yet, a folder that cannot be watched, the inotify limit. */
  note(level: 'info' | 'warn' | 'error', text: string): void;
}

/** What a watched folder is watched for: every entry (a folder of a watched tree), or one name in it. */
interface Interest {
  root: string;
  /** Only this entry counts (a watched file, or the next step towards a root that does not exist yet). */
  name?: string;
}

interface WatchedFolder {
  watcher: fs.FSWatcher;
  interests: Map<string, Interest>;
}

type Watch = (dir: string, listener: (event: string, name: string | Buffer | null) => void) => fs.FSWatcher;

const interestKey = (interest: Interest) => (interest.name === undefined ? `${interest.root}\0` : `${interest.root}\0${interest.name}`);

const isDirectory = (file: string) => {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
};

const isSymbolicLink = (file: string) => {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
};

/**
 * Watches files and folders (recursively) by inotify, one watch per folder, through fs.watch: no
 * polling, nothing at all while nothing changes. A folder is watched before it is read, so a
 * folder created meanwhile is seen either way; new folders are watched as they appear, removed ones
 * released. A file is watched through its folder, by name, so an editor's "write a temporary file
 * and rename it over" counts. A root that does not exist yet is watched through its nearest
 * existing folder, so that creating it counts. Ignored folders are never watched.
 */
export class TreeWatcher {
  private readonly folders = new Map<string, WatchedFolder>();
  /** The inotify watch limit was hit: stop trying (every further folder would fail the same way). */
  private full = false;

  constructor(
    private readonly roots: readonly string[],
    private readonly ignore: ChangeIgnore,
    private readonly events: TreeWatcherEvents,
    private readonly watch: Watch = (dir, listener) => fs.watch(dir, { persistent: false }, listener),
  ) {}

  /** Folders watched (inotify watches held) right now. */
  get watchCount(): number {
    return this.folders.size;
  }

  start(): void {
    for (const root of this.roots) this.arm(root);
  }

  close(): void {
    for (const folder of this.folders.values()) folder.watcher.close();
    this.folders.clear();
  }

  private arm(root: string, depth = 0): void {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(root);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) this.armTree(root, root);
    else if (stat) this.add(path.dirname(root), { root, name: path.basename(root) });
    else this.armMissing(root, depth);
    // A root that is a symbolic link (a deploy's "current"): its folder tells when the link is replaced.
    if (stat?.isDirectory() && isSymbolicLink(root)) this.add(path.dirname(root), { root, name: path.basename(root) });
  }

  /** The nearest existing folder on the way to `root` is watched for the next name towards it. */
  private armMissing(root: string, depth: number): void {
    let child = root;
    let parent = path.dirname(root);
    while (!isDirectory(parent) && parent !== child) {
      child = parent;
      parent = path.dirname(parent);
    }
    if (!this.add(parent, { root, name: path.basename(child) })) return;
    // Created between the look and the watch: look again (a few times at most, for a tree being made).
    const appeared = child === root ? fs.existsSync(root) : isDirectory(child);
    if (appeared && depth < 8) {
      this.disarm(root);
      this.arm(root, depth + 1);
      return;
    }
    if (depth === 0) this.events.note('info', `restart_on_change: ${root} does not exist yet: watching ${parent} so that creating it restarts the program.`);
  }

  private armTree(root: string, dir: string): void {
    if (this.full || (dir !== root && this.ignore(dir, root))) return;
    if (!this.add(dir, { root })) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // Symbolic links are not followed: a link to a folder is one entry of its folder.
    for (const entry of entries) if (entry.isDirectory()) this.armTree(root, path.join(dir, entry.name));
  }

  private add(dir: string, interest: Interest): boolean {
    let folder = this.folders.get(dir);
    if (!folder) {
      let watcher: fs.FSWatcher;
      try {
        watcher = this.watch(dir, (_event, name) => this.event(dir, name === null ? null : name.toString()));
      } catch (error) {
        this.cannotWatch(dir, interest.root, error as NodeJS.ErrnoException);
        return false;
      }
      watcher.on('error', (error) => {
        this.events.note('warn', `restart_on_change: the watch on ${dir} failed (${error.message}); changes there are not seen.`);
        this.closeFolder(dir);
      });
      folder = { watcher, interests: new Map() };
      this.folders.set(dir, folder);
    }
    folder.interests.set(interestKey(interest), interest);
    return true;
  }

  private cannotWatch(dir: string, root: string, error: NodeJS.ErrnoException): void {
    if (error.code === 'ENOSPC' || error.code === 'EMFILE') {
      if (this.full) return;
      this.full = true;
      const setting = error.code === 'ENOSPC' ? 'max_user_watches' : 'max_user_instances';
      const limit = readSysctl(`fs/inotify/${setting}`);
      this.events.note(
        'error',
        `restart_on_change: the inotify limit fs.inotify.${setting}${limit ? ` (${limit})` : ''} is reached at ${dir}: ` +
          `${this.folders.size} folders are watched for ${root} and changes in the others are not seen. ` +
          `Ignore more of the tree (restart_on_change_ignore) or raise the limit (sysctl fs.inotify.${setting}=524288).`,
      );
      return;
    }
    this.events.note('warn', `restart_on_change: cannot watch ${dir} (${error.code ?? error.message}); changes there are not seen.`);
  }

  private event(dir: string, name: string | null): void {
    const folder = this.folders.get(dir);
    if (!folder) return;
    for (const interest of [...folder.interests.values()]) {
      if (interest.name === undefined) this.treeEvent(dir, name, interest.root);
      else if (name === null || name === interest.name) this.nameEvent(dir, interest.name, interest.root);
    }
  }

  private treeEvent(dir: string, name: string | null, root: string): void {
    if (name === null) {
      // The kernel's queue overflowed: something below this folder changed.
      this.events.changed(dir);
      return;
    }
    // The watched folder itself was removed or moved away (inotify names it by its own name).
    if (name === path.basename(dir) && !isDirectory(dir)) {
      this.events.changed(dir);
      if (dir === root) this.rearm(root);
      else this.dropTree(root, dir);
      return;
    }
    const entry = path.join(dir, name);
    if (this.ignore(entry, root)) return;
    this.events.changed(entry);
    if (isDirectory(entry)) {
      if (!this.folders.get(entry)?.interests.has(interestKey({ root }))) this.armTree(root, entry);
    } else if (this.folders.has(entry)) {
      this.dropTree(root, entry);
    }
  }

  private nameEvent(dir: string, name: string, root: string): void {
    const entry = path.join(dir, name);
    if (entry === root) {
      this.events.changed(root);
      // A watched file that became a folder, a missing root just created as one, a link pointed elsewhere: watch the tree.
      if (isDirectory(root)) this.rearm(root);
      return;
    }
    // A step towards a root that does not exist yet appeared (or went): watch from the nearest folder again.
    this.rearm(root);
    if (fs.existsSync(root)) this.events.changed(root);
  }

  private rearm(root: string): void {
    this.disarm(root);
    this.arm(root);
  }

  private disarm(root: string): void {
    for (const [dir, folder] of [...this.folders]) {
      for (const [key, interest] of [...folder.interests]) if (interest.root === root) folder.interests.delete(key);
      if (folder.interests.size === 0) this.closeFolder(dir);
    }
  }

  /** A folder of root's tree was removed or moved away: release it and every folder below it. */
  private dropTree(root: string, dir: string): void {
    const key = interestKey({ root });
    const below = `${dir}/`;
    for (const [folderDir, folder] of [...this.folders]) {
      if (folderDir !== dir && !folderDir.startsWith(below)) continue;
      folder.interests.delete(key);
      if (folder.interests.size === 0) this.closeFolder(folderDir);
    }
  }

  private closeFolder(dir: string): void {
    this.folders.get(dir)?.watcher.close();
    this.folders.delete(dir);
  }
}

function readSysctl(name: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/sys/${name}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
