import fs from 'node:fs';
import { makeTempHome, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { changeIgnore } from './changeIgnore.js';
import { TreeWatcher } from './treeWatcher.js';

let home: TempHome;
let watcher: TreeWatcher | undefined;
afterEach(() => {
  watcher?.close();
  home?.remove();
});

/** A watcher of `roots` that records what it reports. */
function watch(roots: string[], globs: string[] = []) {
  const changed: string[] = [];
  const notes: string[] = [];
  watcher = new TreeWatcher(roots, changeIgnore(globs), { changed: (file) => changed.push(file), note: (_level, text) => notes.push(text) });
  watcher.start();
  return { changed, notes, watcher };
}

const seen = (changed: string[], file: string) => waitFor(`a change of ${file}`, () => changed.includes(file));

describe('TreeWatcher (real inotify through fs.watch)', () => {
  it('sees a change anywhere in a tree, watches folders created later and releases removed ones', async () => {
    home = makeTempHome('usrsvcd-tree-');
    home.write('app/a/b/deep.txt', '1');
    const { changed, watcher } = watch([home.path('app')]);
    expect(watcher.watchCount).toBe(3);
    fs.writeFileSync(home.path('app/a/b/deep.txt'), '2');
    await seen(changed, home.path('app/a/b/deep.txt'));
    fs.mkdirSync(home.path('app/new/sub'), { recursive: true });
    await waitFor('the new folders watched', () => watcher.watchCount === 5);
    fs.writeFileSync(home.path('app/new/sub/file.txt'), 'x');
    await seen(changed, home.path('app/new/sub/file.txt'));
    fs.rmSync(home.path('app/new'), { recursive: true });
    await waitFor('the removed folders released', () => watcher.watchCount === 3);
  });

  it('never watches an ignored folder, and reports nothing below it', async () => {
    home = makeTempHome('usrsvcd-tree-');
    home.write('app/node_modules/pkg/index.js', '');
    home.write('app/.git/HEAD', '');
    home.write('app/main.js', '');
    const { changed, watcher } = watch([home.path('app')], ['**/node_modules/**', '.git', '*.log']);
    expect(watcher.watchCount).toBe(1);
    fs.writeFileSync(home.path('app/node_modules/pkg/index.js'), 'x');
    fs.writeFileSync(home.path('app/.git/HEAD'), 'x');
    fs.writeFileSync(home.path('app/out.log'), 'x');
    fs.writeFileSync(home.path('app/main.js'), 'x');
    await seen(changed, home.path('app/main.js'));
    // Events come in order from one inotify queue: whatever an ignored write reported would be here by now.
    expect(changed.filter((file) => file !== home.path('app/main.js'))).toEqual([]);
  });

  it('watches a file through its folder: an editor that writes a temporary file and renames it over counts; its neighbours do not', async () => {
    home = makeTempHome('usrsvcd-tree-');
    const file = home.write('conf/app.yml', 'a: 1\n');
    const { changed } = watch([file]);
    home.write('conf/other.yml', 'b');
    home.write('conf/.app.yml.tmp', 'a: 2\n');
    fs.renameSync(home.path('conf/.app.yml.tmp'), file);
    await seen(changed, file);
    expect(changed.every((entry) => entry === file)).toBe(true);
  });

  it('watches the nearest existing folder of a path that does not exist yet, so that creating it counts', async () => {
    home = makeTempHome('usrsvcd-tree-');
    const root = home.path('later/config');
    const { changed, notes, watcher } = watch([root]);
    expect(notes.join('\n')).toContain(`${root} does not exist yet: watching ${home.dir}`);
    fs.mkdirSync(root, { recursive: true });
    await seen(changed, root);
    await waitFor('the created folder watched as a tree', () => watcher.watchCount === 1);
    fs.writeFileSync(home.path('later/config/x.conf'), '1');
    await seen(changed, home.path('later/config/x.conf'));
  });

  it('follows a root that is a symbolic link when the link is pointed at another folder (a deploy)', async () => {
    home = makeTempHome('usrsvcd-tree-');
    home.write('releases/1/app.js', '1');
    home.write('releases/2/app.js', '2');
    fs.symlinkSync(home.path('releases/1'), home.path('current'));
    const { changed } = watch([home.path('current')]);
    fs.symlinkSync(home.path('releases/2'), home.path('current.new'));
    fs.renameSync(home.path('current.new'), home.path('current'));
    await seen(changed, home.path('current'));
    fs.writeFileSync(home.path('releases/2/app.js'), 'edited');
    await seen(changed, home.path('current/app.js'));
  });

  it('releases every watch on close', () => {
    home = makeTempHome('usrsvcd-tree-');
    home.write('app/a/x', '');
    const { watcher } = watch([home.path('app')]);
    expect(watcher.watchCount).toBe(2);
    watcher.close();
    expect(watcher.watchCount).toBe(0);
  });

  it('says which inotify limit was reached, and what to do, once', () => {
    home = makeTempHome('usrsvcd-tree-');
    for (const dir of ['a', 'b', 'c']) fs.mkdirSync(home.path('app', dir), { recursive: true });
    const notes: Array<{ level: string; text: string }> = [];
    let calls = 0;
    // The kernel's limit cannot be lowered without root: the watch fails as inotify_add_watch does at it.
    const limited = (dir: string, listener: (event: string, name: string | Buffer | null) => void) => {
      calls += 1;
      if (calls > 2) throw Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${dir}'`), { code: 'ENOSPC' });
      return fs.watch(dir, { persistent: false }, listener);
    };
    watcher = new TreeWatcher([home.path('app')], changeIgnore([]), { changed: () => undefined, note: (level, text) => notes.push({ level, text }) }, limited);
    watcher.start();
    expect(watcher.watchCount).toBe(2);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.level).toBe('error');
    expect(notes[0]!.text).toMatch(/fs\.inotify\.max_user_watches \(\d+\) is reached .*2 folders are watched .*restart_on_change_ignore.*sysctl fs\.inotify\.max_user_watches=/);
  });
});
