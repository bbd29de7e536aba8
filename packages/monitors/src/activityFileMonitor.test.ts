import fs from 'node:fs';
import { readProcess } from '@usrsvc/procscan';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activityFileMonitorPlugin, createActivityFileMonitor } from './activityFileMonitor.js';
import { runMonitorCheck } from './runMonitorCheck.js';
import { programWith } from './test-support/program.js';

const self = readProcess(process.pid)!;
let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-monitors-');
});
afterEach(() => home.remove());

/** Sets a path's atime and mtime to `secondsAgo` before now. */
function age(file: string, secondsAgo: number): void {
  const when = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, when, when);
}

const check = (file: string, limitSeconds: number) =>
  runMonitorCheck(createActivityFileMonitor({ file, limitSeconds }), { process: self }, 5000);

describe('activityfile monitor', () => {
  it('is fine while the file is modified within the limit', async () => {
    const file = home.write('activity', 'x');
    expect(await check(file, 60)).toMatchObject({ kind: 'ok', monitor: 'activityfile' });
    age(file, 50);
    expect((await check(file, 60)).kind).toBe('ok');
  });

  it('restarts when the file is older than the limit', async () => {
    const file = home.write('activity', 'x');
    age(file, 300);
    const outcome = await check(file, 60);
    expect(outcome.kind).toBe('restart');
    expect(outcome.kind === 'restart' && outcome.reason).toMatch(/activity file .*activity not modified for 30\d\.\d s; activityfile_limit is 60 s/);
    fs.appendFileSync(file, 'more');
    expect((await check(file, 60)).kind).toBe('ok');
  });

  it('restarts when the file is missing', async () => {
    const outcome = await check(home.path('never-written'), 60);
    expect(outcome).toMatchObject({ kind: 'restart', reason: `activity file ${home.path('never-written')} does not exist` });
    expect((await check(home.path('never-written', 'below'), 60)).kind).toBe('restart');
  });

  it('counts a folder as active when an entry in it changes, even when the folder itself does not', async () => {
    const dir = home.path('work');
    fs.mkdirSync(dir);
    const inner = home.write('work/progress.log', 'start\n');
    age(inner, 600);
    age(dir, 600);
    const stale = await check(dir, 60);
    expect(stale.kind).toBe('restart');
    expect(stale.kind === 'restart' && stale.reason).toMatch(/not modified for/);

    fs.appendFileSync(inner, 'step\n'); // writing inside an existing file leaves the folder's mtime alone
    expect(fs.statSync(dir).mtimeMs).toBeLessThan(Date.now() - 500_000);
    expect((await check(dir, 60)).kind).toBe('ok');

    age(inner, 600);
    home.write('work/new-file', 'x'); // a new entry changes the folder's own mtime
    expect((await check(dir, 60)).kind).toBe('ok');
  });

  it('restarts for an empty stale folder and is fine for a fresh one', async () => {
    const dir = home.path('empty');
    fs.mkdirSync(dir);
    expect((await check(dir, 60)).kind).toBe('ok');
    age(dir, 120);
    expect((await check(dir, 60)).kind).toBe('restart');
  });

  it('uses the time it is given, not the clock', async () => {
    const file = home.write('activity', 'x');
    const monitor = createActivityFileMonitor({ file, limitSeconds: 10 });
    expect((await runMonitorCheck(monitor, { process: self, now: Date.now() + 60_000 }, 5000)).kind).toBe('restart');
  });

  it('plugin: creates a monitor only when activityfile is set, with activityfile_limit', async () => {
    expect(activityFileMonitorPlugin.create(programWith({}))).toBeUndefined();
    expect(activityFileMonitorPlugin.create(programWith({ activityfile: '' }))).toBeUndefined();
    const file = home.write('activity', 'x');
    age(file, 100);
    const lenient = activityFileMonitorPlugin.create(programWith({ activityfile: file }))!; // default limit 120
    expect((await runMonitorCheck(lenient, { process: self }, 5000)).kind).toBe('ok');
    const strict = activityFileMonitorPlugin.create(programWith({ activityfile: file, activityfile_limit: 15 }))!;
    expect((await runMonitorCheck(strict, { process: self }, 5000)).kind).toBe('restart');
  });
});
