import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { procEnviron, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, exitOf, isLive } from './test-support/daemonHarness.js';

// Issue 21, point 8: restart_on_change with a real usrsvcd, real files and real inotify.
const user = os.userInfo().username;

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

/** usrsvc_program_restarts_total{reason="change"} of a program, as GET /metrics on the socket says. */
async function changeRestarts(program: string): Promise<number | undefined> {
  const text = await h.api().metrics();
  const match = new RegExp(`^usrsvc_program_restarts_total\\{program="${program}",user="${user}",reason="change"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Inotify watches the process holds, from its inotify descriptors' fdinfo ("inotify wd:" lines). */
function inotifyWatches(pid: number): number {
  let count = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      count += fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((line) => line.startsWith('inotify wd:')).length;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

/** A tree of `folders` folders (a/0 .. a/N-1 below root) with a file in each. */
function makeTree(root: string, folders: number): void {
  for (let i = 0; i < folders; i++) h.home.write(`${root}/d${i}/file.txt`, `${i}\n`);
}

const restartLines = () => h.logLines(/restart_on_change: .* changed.*: restarting pid/);

describe('restart_on_change under a real usrsvcd', () => {
  it('an edit of a watched file restarts the program once, from the environment of its previous run; logged with the path, counted as a change', async () => {
    h = new DaemonHarness();
    const config = h.home.write('app/config.yml', 'a: 1\n');
    const pidfile = h.writeProgram('web', h.uniqueSleep(), { restart_on_change: config });
    // The first run is started by a usrsvcd that has FOO=x; the one that restarts it later has not.
    const first = await h.startDaemonAndWait({ FOO: 'x' });
    const before = await h.servicePid(pidfile);
    expect(procEnviron(before).FOO).toBe('x');
    process.kill(first.pid!, 'SIGTERM');
    await exitOf(first);
    h.startDaemon();
    await h.waitForLog(/restart_on_change: watching .*config\.yml/, { count: 2 });
    expect((await h.api().program('web')).settings).toMatchObject({ restartOnChange: [config], restartOnChangeIgnore: expect.arrayContaining(['**/.git/**']) });

    fs.writeFileSync(config, 'a: 2\n');
    const after = await h.servicePid(pidfile, before);
    expect(procEnviron(after).FOO).toBe('x');
    await waitFor('restarts{reason="change"} = 1', async () => (await changeRestarts('web')) === 1);
    expect(restartLines()).toEqual([expect.stringContaining(`restart_on_change: ${config} changed: restarting pid ${before}.`)]);
    expect((await h.api().program('web')).restartCounts).toEqual({ crash: 0, monitor: 0, watchdog: 0, manual: 0, change: 1 });
  });

  it('a burst of 50 writes within the debounce is one restart; an ignored path none (a following change shows it)', async () => {
    h = new DaemonHarness();
    makeTree('app', 3);
    const pidfile = h.writeProgram('web', h.uniqueSleep(), { restart_on_change: h.home.path('app'), restart_on_change_ignore: '**/*.log, cache' });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);
    await h.waitForLog(/restart_on_change: watching .*app \(4 folders/);

    for (let i = 0; i < 50; i++) fs.writeFileSync(h.home.path(`app/d${i % 3}/file.txt`), `${i}\n`);
    const second = await h.servicePid(pidfile, first);
    await waitFor('the restart to be counted', async () => (await changeRestarts('web')) === 1);

    // Ignored changes first, then one that counts: inotify reports them in this order, so an
    // ignored change that counted would fall in the same debounce window and be the path logged.
    h.home.write('app/d0/server.log', 'line\n');
    h.home.write('app/cache/blob', 'x');
    h.home.write('app/d1/cache/blob', 'x');
    fs.writeFileSync(h.home.path('app/d2/file.txt'), 'marker\n');
    const third = await h.servicePid(pidfile, second);
    await waitFor('the second restart to be counted', async () => (await changeRestarts('web')) === 2);
    const lines = restartLines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`restart_on_change: ${h.home.path('app/d0/file.txt')} changed (and 2 more): restarting pid ${first}.`);
    expect(lines[1]).toContain(`restart_on_change: ${h.home.path('app/d2/file.txt')} changed: restarting pid ${second}.`);
    expect(third).not.toBe(second);
  });

  it('a program stopped by the user is not started by a change', async () => {
    h = new DaemonHarness();
    const config = h.home.write('app/config.yml', 'a: 1\n');
    const pidfile = h.writeProgram('web', h.uniqueSleep(), { restart_on_change: config });
    await h.startDaemonAndWait();
    const pid = await h.servicePid(pidfile);
    const api = h.api();
    expect((await api.act('web', 'stop')).code).toBe(0);
    await waitFor('stopped-by-user', async () => (await api.program('web')).state.state === 'stopped-by-user');

    fs.writeFileSync(config, 'a: 2\n');
    await h.waitForLog(/restart_on_change: .*config\.yml changed; it was stopped with "usrsvc stop": not restarting\./);
    const view = await api.program('web');
    expect(view.state.state).toBe('stopped-by-user');
    expect(view.process).toBeNull();
    expect(view.restartCounts.change).toBe(0);
    expect(isLive(pid)).toBe(false);
  });

  it('a watched path that does not exist yet: creating it restarts the program', async () => {
    h = new DaemonHarness();
    const config = h.home.path('later/conf/app.yml');
    const pidfile = h.writeProgram('web', h.uniqueSleep(), { restart_on_change: config });
    await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);
    await h.waitForLog(/restart_on_change: .*app\.yml does not exist yet: watching /);
    h.home.write('later/conf/app.yml', 'a: 1\n');
    await h.servicePid(pidfile, first);
    expect(restartLines()).toEqual([expect.stringContaining(`restart_on_change: ${config} changed: restarting pid ${first}.`)]);
  });

  it('the instances of one program share one watch; a change restarts each once, and a log of one in the tree restarts none', async () => {
    h = new DaemonHarness();
    makeTree('app', 2);
    h.home.write('app/logs/.keep', '');
    const pidfileOf = (k: number) => h.home.path(`w-${k}.pid`);
    const lines = [
      '[Program:w]',
      `command = ${h.uniqueSleep()}`,
      'instances = 3',
      `pidfile = ${h.home.path('w-%(instance)d.pid')}`,
      `stdout = ${h.home.path('app/logs/w-%(instance)d.out')}`,
      'success_seconds = 0.3',
      'term_to_kill_seconds = 2',
      `restart_on_change = ${h.home.path('app')}`,
    ];
    fs.writeFileSync(path.join(h.confDir, 'w.cfg'), `${lines.join('\n')}\n`);
    for (let k = 0; k < 3; k++) h.reaper.trackPidfile(pidfileOf(k));
    await h.startDaemonAndWait();
    const before = await Promise.all([0, 1, 2].map((k) => h.servicePid(pidfileOf(k))));
    await h.waitForLog(/\(w\) - .*restart_on_change: watching .*app for 3 instances \(4 folders/);
    expect(h.logLines(/restart_on_change: watching/)).toHaveLength(1);

    // What instance 1 writes to its log comes first; it must count for none of the three.
    fs.appendFileSync(h.home.path('app/logs/w-1.out'), 'a line of output\n');
    fs.writeFileSync(h.home.path('app/d0/file.txt'), 'marker\n');
    for (let k = 0; k < 3; k++) await h.servicePid(pidfileOf(k), before[k]);
    for (let k = 0; k < 3; k++) await waitFor(`w@${k} counted once`, async () => (await changeRestarts(`w@${k}`)) === 1);
    const restarts = restartLines();
    expect(restarts).toHaveLength(3);
    for (const line of restarts) expect(line).toContain(`restart_on_change: ${h.home.path('app/d0/file.txt')} changed: restarting pid`);
  });

  it('a reread that changes the paths re-arms the watches, and one that removes the key releases every one of them', async () => {
    h = new DaemonHarness();
    makeTree('big', 20);
    makeTree('small', 2);
    const command = h.uniqueSleep();
    const pidfile = h.writeProgram('web', command);
    const daemon = await h.startDaemonAndWait();
    const first = await h.servicePid(pidfile);
    await waitFor('web running', async () => (await h.api().program('web')).state.state === 'running');
    const baseline = inotifyWatches(daemon.pid!);

    h.writeProgram('web', command, { restart_on_change: h.home.path('big') });
    await h.api().reread();
    await h.waitForLog(/restart_on_change: watching .*big \(21 folders/);
    await waitFor('21 more watches', () => inotifyWatches(daemon.pid!) === baseline + 21);
    // The reread restarts nothing by itself.
    expect((await h.api().program('web')).process?.pid).toBe(first);

    h.writeProgram('web', command, { restart_on_change: h.home.path('small') });
    await h.api().reread();
    await h.waitForLog(/restart_on_change: watching .*small \(3 folders/);
    await waitFor('3 watches instead of 21', () => inotifyWatches(daemon.pid!) === baseline + 3);
    // The old tree no longer counts, the new one does (the old change would be logged first).
    fs.writeFileSync(h.home.path('big/d0/file.txt'), 'old\n');
    fs.writeFileSync(h.home.path('small/d1/file.txt'), 'new\n');
    await h.servicePid(pidfile, first);
    expect(restartLines()).toEqual([expect.stringContaining(`restart_on_change: ${h.home.path('small/d1/file.txt')} changed: restarting pid ${first}.`)]);

    h.writeProgram('web', command);
    await h.api().reread();
    await h.waitForLog(/\(web\) - .*restart_on_change: no longer watching\./);
    await waitFor('every watch released', () => inotifyWatches(daemon.pid!) === baseline);
  });
});
