import type { ProgramConfig } from '@usrsvc/config';
import { ChangeDebounce } from './changeDebounce.js';
import { changeIgnore } from './changeIgnore.js';
import type { Logger } from './log.js';
import { TreeWatcher } from './treeWatcher.js';

/** A restart waits until no change came for this long (and restart_delay since the last one). */
export const CHANGE_QUIET_MS = 1_000;

export interface RestartOnChangeDeps {
  /** A logger whose lines carry this program's name. */
  log(name: string): Logger;
  /** The debounced change: restart the program (the supervisor's table decides whether it does). */
  restart(name: string, path: string, more: number): void;
}

/** Programs that share one watch: the instances of one [Program:NAME], or a program alone. */
interface WatchGroup {
  /** NAME of [Program:NAME]. */
  section: string;
  programs: ProgramConfig[];
}

interface GroupWatch {
  /** The settings the watch was armed with: another value re-arms it. */
  settings: string;
  members: string[];
  watcher: TreeWatcher;
  debounce: ChangeDebounce;
}

/** Instances differ in their own files (logs, pidfile) and, through %(instance)d, maybe in more. */
const watchSettings = (program: ProgramConfig) => JSON.stringify([program.restartOnChange, program.restartOnChangeIgnore, program.restartDelay]);

const ownFiles = (programs: ProgramConfig[]) => [...new Set(programs.flatMap((p) => [p.stdout, p.stderr, p.pidfile]))].sort();

/**
 * The watch groups of these programs: the instances of one section that watch the same paths the
 * same way share one TreeWatcher, so N instances hold the inotify watches of one, and none of them
 * restarts for another's log or pidfile.
 */
function watchGroups(programs: Iterable<ProgramConfig>): Map<string, WatchGroup> {
  const groups = new Map<string, WatchGroup>();
  for (const program of programs) {
    if (!program.enabled || program.restartOnChange.length === 0) continue;
    const section = program.instanceOf ?? program.name;
    const key = program.instanceOf === undefined ? program.name : `${section}\0${watchSettings(program)}`;
    const group = groups.get(key);
    if (group) group.programs.push(program);
    else groups.set(key, { section, programs: [program] });
  }
  return groups;
}

/**
 * restart_on_change for every program that has it: one TreeWatcher and one debounce per watch
 * group. Programs without it cost nothing (no watch, no timer); a reread that changes the paths or
 * the instances re-arms the watch, and one that removes the key releases it.
 */
export class RestartOnChange {
  private readonly groups = new Map<string, GroupWatch>();

  constructor(private readonly deps: RestartOnChangeDeps) {}

  /** Inotify watches held for this program's restart_on_change (0 when it has none), shared with its fellow instances. */
  watchCount(name: string): number {
    for (const watch of this.groups.values()) if (watch.members.includes(name)) return watch.watcher.watchCount;
    return 0;
  }

  /** Makes the watches match these programs' settings. */
  sync(programs: Iterable<ProgramConfig>): void {
    const wanted = new Map<string, { group: WatchGroup; settings: string }>();
    for (const [key, group] of watchGroups(programs)) {
      const names = group.programs.map((p) => p.name);
      wanted.set(key, { group, settings: JSON.stringify([watchSettings(group.programs[0]!), names, ownFiles(group.programs)]) });
    }
    for (const [key, watch] of [...this.groups]) {
      const still = wanted.get(key);
      if (still && still.settings === watch.settings) continue;
      this.release(key);
      const kept = new Set(still?.group.programs.map((p) => p.name));
      for (const name of watch.members) if (!kept.has(name)) this.deps.log(name).info('restart_on_change: no longer watching.');
    }
    for (const [key, { group, settings }] of wanted) if (!this.groups.has(key)) this.arm(key, group, settings);
  }

  close(): void {
    for (const key of [...this.groups.keys()]) this.release(key);
  }

  private arm(key: string, group: WatchGroup, settings: string): void {
    const first = group.programs[0]!;
    const members = group.programs.map((p) => p.name);
    const log = this.deps.log(members.length === 1 ? first.name : group.section);
    const debounce = new ChangeDebounce({ quietMs: CHANGE_QUIET_MS, minIntervalMs: first.restartDelay * 1000 }, (path, more) => {
      for (const name of members) this.deps.restart(name, path, more);
    });
    // The programs' own log files and pidfiles change as they run: they never restart them.
    const watcher = new TreeWatcher(first.restartOnChange, changeIgnore(first.restartOnChangeIgnore, ownFiles(group.programs)), {
      changed: (file) => debounce.add(file),
      note: (level, text) => log[level](text),
    });
    const started = performance.now();
    watcher.start();
    const ms = performance.now() - started;
    const forWhom = members.length === 1 ? '' : ` for ${members.length} instances`;
    log.info(`restart_on_change: watching ${first.restartOnChange.join(', ')}${forWhom} (${watcher.watchCount} folders, armed in ${ms.toFixed(0)} ms).`, {
      event: 'change-watch',
    });
    this.groups.set(key, { settings, members, watcher, debounce });
  }

  private release(key: string): void {
    const watch = this.groups.get(key);
    if (!watch) return;
    watch.watcher.close();
    watch.debounce.close();
    this.groups.delete(key);
  }
}
