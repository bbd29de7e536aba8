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

interface ProgramWatch {
  /** The settings the watch was armed with: another value re-arms it. */
  settings: string;
  watcher: TreeWatcher;
  debounce: ChangeDebounce;
}

const settingsOf = (program: ProgramConfig) =>
  JSON.stringify([program.restartOnChange, program.restartOnChangeIgnore, program.restartDelay, program.stdout, program.stderr, program.pidfile]);

/**
 * restart_on_change for every program that has it: one TreeWatcher and one debounce each. Programs
 * without it cost nothing (no watch, no timer); a reread that changes the paths re-arms the watch,
 * and one that removes the key releases it.
 */
export class RestartOnChange {
  private readonly programs = new Map<string, ProgramWatch>();

  constructor(private readonly deps: RestartOnChangeDeps) {}

  /** Inotify watches held for this program's restart_on_change (0 when it has none). */
  watchCount(name: string): number {
    return this.programs.get(name)?.watcher.watchCount ?? 0;
  }

  /** Makes the watches match these programs' settings. */
  sync(programs: Iterable<ProgramConfig>): void {
    const wanted = new Map<string, ProgramConfig>();
    for (const program of programs) if (program.enabled && program.restartOnChange.length > 0) wanted.set(program.name, program);
    for (const [name, watch] of [...this.programs]) {
      const program = wanted.get(name);
      if (program && settingsOf(program) === watch.settings) continue;
      this.release(name);
      if (!program) this.deps.log(name).info('restart_on_change: no longer watching.');
    }
    for (const [name, program] of wanted) if (!this.programs.has(name)) this.arm(program);
  }

  close(): void {
    for (const name of [...this.programs.keys()]) this.release(name);
  }

  private arm(program: ProgramConfig): void {
    const { name } = program;
    const log = this.deps.log(name);
    const debounce = new ChangeDebounce({ quietMs: CHANGE_QUIET_MS, minIntervalMs: program.restartDelay * 1000 }, (path, more) => this.deps.restart(name, path, more));
    // The program's own log files and pidfile change as it runs: they never restart it.
    const own = [program.stdout, program.stderr, program.pidfile];
    const watcher = new TreeWatcher(program.restartOnChange, changeIgnore(program.restartOnChangeIgnore, own), {
      changed: (file) => debounce.add(file),
      note: (level, text) => log[level](text),
    });
    const started = performance.now();
    watcher.start();
    const ms = performance.now() - started;
    log.info(`restart_on_change: watching ${program.restartOnChange.join(', ')} (${watcher.watchCount} folders, armed in ${ms.toFixed(0)} ms).`, {
      event: 'change-watch',
    });
    this.programs.set(name, { settings: settingsOf(program), watcher, debounce });
  }

  private release(name: string): void {
    const watch = this.programs.get(name);
    if (!watch) return;
    watch.watcher.close();
    watch.debounce.close();
    this.programs.delete(name);
  }
}
