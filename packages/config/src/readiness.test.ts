import { afterEach, describe, expect, it } from 'vitest';
import { dependencyLayers, dependentsOf } from './dependencyGraph.js';
import { type ConfigHome, makeConfigHome, programSection } from './test-support/configHome.js';

let home: ConfigHome;
afterEach(() => home?.remove());

function problems(files: Record<string, string>) {
  home = makeConfigHome();
  home.files(files);
  return home.readErrors().errors.map((e) => ({ file: e.file, line: e.line, key: e.key, detail: e.detail, hint: e.hint }));
}

describe('ready_check and its keys', () => {
  it('parses each form, with the defaults of the timing keys', () => {
    home = makeConfigHome();
    home.files({
      'cfg/a.cfg': [
        programSection('tcp', 'ready_check = tcp://127.0.0.1:6379'),
        programSection('http', 'ready_check = https://[::1]:8443/health\nready_check_status = 200-299, 401'),
        programSection('exec', "ready_check = exec:pg_isready -h '/tmp/a b'\nready_check_timeout = 2.5"),
        programSection('log', 'ready_check = log:(?P<w>ready) to accept\\Z\nready_timeout = 10'),
        programSection('notify', 'ready_check = notify\nwatchdog_seconds = 3\nready_check_interval = 0.2'),
      ].join('\n'),
    });
    const programs = home.read().programs;
    expect(programs.get('tcp')!.readyCheck).toEqual({ kind: 'tcp', text: 'tcp://127.0.0.1:6379', host: '127.0.0.1', port: 6379 });
    expect(programs.get('http')!.readyCheck).toMatchObject({ kind: 'http', url: 'https://[::1]:8443/health' });
    expect(programs.get('http')!.readyCheckStatus).toEqual([{ from: 200, to: 299 }, { from: 401, to: 401 }]);
    expect(programs.get('exec')!.readyCheck).toMatchObject({ kind: 'exec', argv: ['pg_isready', '-h', '/tmp/a b'] });
    expect(programs.get('exec')!.readyCheckTimeout).toBe(2.5);
    const log = programs.get('log')!.readyCheck;
    expect(log?.kind === 'log' && log.regex.test('ready to accept')).toBe(true);
    expect(programs.get('notify')!).toMatchObject({ readyCheck: { kind: 'notify' }, watchdogSeconds: 3, readyCheckInterval: 0.2, readyTimeout: 60 });
    expect(programs.get('tcp')!).toMatchObject({ readyCheckInterval: 1, readyCheckTimeout: 5, readyTimeout: 60, watchdogSeconds: 0 });
  });

  it('rejects bad checks, statuses and combinations with file, line and key', () => {
    const found = problems({
      'cfg/a.cfg': [
        programSection('a', 'ready_check = tcp://localhost'),
        programSection('b', 'ready_check = ftp://x/'),
        programSection('c', 'ready_check = tcp://h:1\nready_check_status = 200-299'),
        programSection('d', 'watchdog_seconds = 5'),
        programSection('e', 'ready_check = http://h/\nready_check_status = 2xx'),
        programSection('f', 'ready_check = log:(unclosed'),
        programSection('g', 'ready_timeout = 0'),
      ].join('\n'),
    });
    const file = home.path('cfg/a.cfg');
    expect(found).toEqual([
      expect.objectContaining({ file, line: 5, key: 'ready_check', detail: expect.stringContaining('tcp:// needs a port') }),
      expect.objectContaining({ file, line: 10, key: 'ready_check', detail: expect.stringContaining('is not a ready check') }),
      expect.objectContaining({ file, line: 16, key: 'ready_check_status', detail: 'applies to http:// and https:// ready checks only' }),
      expect.objectContaining({ file, line: 21, key: 'watchdog_seconds', detail: expect.stringContaining('needs ready_check = notify') }),
      expect.objectContaining({ file, line: 27, key: 'ready_check_status', detail: expect.stringContaining('"2xx" is not a status') }),
      expect.objectContaining({ file, line: 32, key: 'ready_check' }),
      expect.objectContaining({ file, line: 37, key: 'ready_timeout', detail: 'must be greater than 0' }),
    ]);
  });
});

describe('depends_on', () => {
  it('refuses an unknown name, a disabled dependency and a cycle, at the depends_on line', () => {
    const found = problems({
      'cfg/a.cfg': [
        programSection('web', 'depends_on = db, cache'),
        programSection('db', 'depends_on = worker'),
        programSection('worker', 'depends_on = web'),
        programSection('cache', 'enabled = False'),
        programSection('api', 'depends_on = dbb'),
      ].join('\n'),
    });
    const file = home.path('cfg/a.cfg');
    expect(found).toEqual([
      { file, line: 5, key: 'depends_on', detail: 'depends_on names cache, which is disabled (enabled = False)', hint: 'enable cache, or remove it from depends_on' },
      { file, line: 5, key: 'depends_on', detail: 'depends_on makes a cycle: web -> db -> worker -> web', hint: 'remove one of these dependencies' },
      { file, line: 25, key: 'depends_on', detail: 'depends_on names "dbb", which is not a program', hint: 'did you mean db?' },
    ]);
  });

  it('orders starts in layers, dependencies first, and finds the dependents of a program', () => {
    home = makeConfigHome();
    home.files({
      'cfg/a.cfg': [
        programSection('web', 'depends_on = app'),
        programSection('app', 'depends_on = db, cache'),
        programSection('db'),
        programSection('cache'),
        programSection('other'),
      ].join('\n'),
    });
    const programs = home.read().programs;
    expect(dependencyLayers(programs, programs.keys())).toEqual([['db', 'cache', 'other'], ['app'], ['web']]);
    expect(dependencyLayers(programs, ['web'])).toEqual([['db', 'cache'], ['app'], ['web']]);
    expect(dependencyLayers(programs, ['web'], false)).toEqual([['web']]);
    expect(dependentsOf(programs, 'db').sort()).toEqual(['app', 'web']);
  });
});
