import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigHome, makeConfigHome, programSection } from './test-support/configHome.js';

let home: ConfigHome;
afterEach(() => home?.remove());

const worker = (extra = '') =>
  [
    '[Program:worker]',
    'command = /usr/bin/python3 /srv/worker.py --port 80%(instance)02d',
    'pidfile = @HOME@/worker-%(instance)02d.pid',
    'stdout = @HOME@/logs/worker-%(process_num)d.log',
    'directory = /tmp',
    'ready_check = tcp://127.0.0.1:80%(instance)02d',
    extra,
    '[[Env]]',
    'SLOT = slot-%(instance)d',
  ].join('\n');

function problems(files: Record<string, string>) {
  home = makeConfigHome();
  home.files(files);
  return home.readErrors().errors.map((e) => ({ file: e.file, line: e.line, key: e.key, detail: e.detail, hint: e.hint }));
}

describe('instances = N', () => {
  it('makes NAME@0 .. NAME@N-1 with every placeholder expanded and USRSVC_INSTANCE set', () => {
    home = makeConfigHome();
    home.files({ 'cfg/w.cfg': worker('instances = 3') });
    const programs = home.read().programs;
    expect([...programs.keys()]).toEqual(['worker@0', 'worker@1', 'worker@2']);
    const second = programs.get('worker@1')!;
    expect(second).toMatchObject({
      name: 'worker@1',
      instanceOf: 'worker',
      instance: 1,
      instances: 3,
      command: '/usr/bin/python3 /srv/worker.py --port 8001',
      argv: ['/usr/bin/python3', '/srv/worker.py', '--port', '8001'],
      pidfile: home.path('worker-01.pid'),
      stdout: home.path('logs/worker-1.log'),
      stderr: home.path('logs/worker-1.log'),
      env: { SLOT: 'slot-1', USRSVC_INSTANCE: '1' },
      readyCheck: { kind: 'tcp', port: 8001 },
    });
    expect(second.proctitleRe.test('/usr/bin/python3 /srv/worker.py --port 8001')).toBe(true);
    expect(second.proctitleRe.test('/usr/bin/python3 /srv/worker.py --port 8002')).toBe(false);
  });

  it('leaves a program without the key as it was, and instances = 1 written as NAME@0', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': [programSection('plain'), worker('instances = 1')].join('\n') });
    const programs = home.read().programs;
    expect([...programs.keys()]).toEqual(['plain', 'worker@0']);
    expect(programs.get('plain')!.instanceOf).toBeUndefined();
    expect(programs.get('plain')!.env).toEqual({});
  });

  it('comes from a DefaultSettings too', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': ['[DefaultSettings:pool]', 'instances = 2', worker('defaults = pool')].join('\n') });
    expect([...home.read().programs.keys()]).toEqual(['worker@0', 'worker@1']);
  });

  it('refuses a pidfile or stdout that does not vary, unless shared_stdout says so', () => {
    const found = problems({
      'cfg/a.cfg': [
        '[Program:same]',
        'command = /usr/bin/sleep 1000',
        'pidfile = @HOME@/same.pid',
        'stdout = @HOME@/logs/same.log',
        'instances = 2',
      ].join('\n'),
    });
    expect(found).toEqual([
      expect.objectContaining({ line: 3, key: 'pidfile', detail: 'is the same for every instance (instances = 2)' }),
      expect.objectContaining({ line: 4, key: 'stdout', detail: 'is the same for every instance (instances = 2)' }),
    ]);
    home.remove();
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': worker('instances = 2').replace('worker-%(process_num)d.log', 'all.log').concat('\n') });
    expect(home.readErrors().errors.map((e) => e.key)).toEqual(['stdout']);
    home.files({ 'cfg/a.cfg': worker('instances = 2\nshared_stdout = True').replace('worker-%(process_num)d.log', 'all.log') });
    expect(home.read().programs.get('worker@1')!.stdout).toBe(home.path('logs/all.log'));
  });

  it('refuses a bad count and "@" in a program name, with file and line', () => {
    const found = problems({
      'cfg/a.cfg': [worker('instances = 0'), programSection('web@1')].join('\n'),
    });
    expect(found).toEqual([
      expect.objectContaining({ line: 7, key: 'instances', detail: expect.stringContaining('must be from 1 to 1000') }),
      expect.objectContaining({ line: 10, detail: '[Program:web@1]: a program name cannot contain "@"' }),
    ]);
  });

  it('reports a folder missing for one instance only, naming it', () => {
    const found = problems({
      'cfg/a.cfg': worker('instances = 2').replace('logs/worker-%(process_num)d.log', 'logs%(instance)d/w.log'),
      'logs0/.keep': '',
    });
    expect(found).toEqual([expect.objectContaining({ line: 4, key: 'stdout', detail: `the folder ${home.path('logs1')} does not exist (instance worker@1)` })]);
  });
});

describe('depends_on with instances', () => {
  it('NAME is every instance, NAME@k one', () => {
    home = makeConfigHome();
    home.files({
      'cfg/a.cfg': [
        worker('instances = 3'),
        programSection('all', 'depends_on = worker'),
        programSection('one', 'depends_on = worker@1'),
      ].join('\n'),
    });
    const programs = home.read().programs;
    expect(programs.get('all')!.dependsOn).toEqual(['worker@0', 'worker@1', 'worker@2']);
    expect(programs.get('one')!.dependsOn).toEqual(['worker@1']);
  });

  it('an unknown instance index is an error at depends_on', () => {
    const found = problems({
      'cfg/a.cfg': [worker('instances = 2'), programSection('app', 'depends_on = worker@2')].join('\n'),
    });
    expect(found).toEqual([
      expect.objectContaining({
        file: home.path('cfg/a.cfg'),
        line: 14,
        key: 'depends_on',
        detail: 'depends_on names worker@2, but worker has 2 instances',
        hint: 'name worker (every instance) or worker@0 .. worker@1',
      }),
    ]);
  });
});
