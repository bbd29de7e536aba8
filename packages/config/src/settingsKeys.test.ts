import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigHome, makeConfigHome, programSection } from './test-support/configHome.js';

let home: ConfigHome;
afterEach(() => home?.remove());

describe('the settings users bring from other managers', () => {
  it('reads directory, env_file, umask, nice, limits, autorestart=unexpected, exit_codes, reload_signal', () => {
    home = makeConfigHome();
    home.files({
      'cfg/p.cfg': programSection(
        'p',
        [
          'directory = @HOME@/work',
          'env_file = @HOME@/a.env, @HOME@/b.env',
          'umask = 027',
          'nice = -5',
          'limit_nofile = 1024:4096',
          'limit_core = infinity',
          'limit_stack = 8M',
          'limit_nproc = 300',
          'autorestart = Unexpected',
          'exit_codes = 0, 2',
          'reload_signal = hup',
        ].join('\n'),
      ),
    });
    const program = home.read().programs.get('p')!;
    expect(program).toMatchObject({
      directory: home.path('work'),
      envFiles: [home.path('a.env'), home.path('b.env')],
      umask: 0o027,
      nice: -5,
      limits: {
        nofile: { soft: 1024, hard: 4096 },
        core: { soft: 'infinity', hard: 'infinity' },
        stack: { soft: 8 * 1024 * 1024, hard: 8 * 1024 * 1024 },
        nproc: { soft: 300, hard: 300 },
      },
      autoRestart: true,
      restartOnlyUnexpected: true,
      exitCodes: [0, 2],
      reloadSignal: 'SIGHUP',
    });
  });

  it('leaves them unset by default (autorestart True, exit_codes 0)', () => {
    home = makeConfigHome();
    home.files({ 'cfg/p.cfg': programSection('p') });
    const program = home.read().programs.get('p')!;
    expect(program.directory).toBeUndefined();
    expect(program.umask).toBeUndefined();
    expect(program.nice).toBeUndefined();
    expect(program.reloadSignal).toBeUndefined();
    expect(program).toMatchObject({ envFiles: [], limits: {}, autoRestart: true, restartOnlyUnexpected: false, exitCodes: [0] });
  });

  it('keeps autorestart = False meaning False', () => {
    home = makeConfigHome();
    home.files({ 'cfg/p.cfg': programSection('p', 'autorestart = 0') });
    expect(home.read().programs.get('p')).toMatchObject({ autoRestart: false, restartOnlyUnexpected: false });
  });

  it('is usable in [DefaultSettings:NAME], with the program overriding', () => {
    home = makeConfigHome();
    home.files({
      'cfg/p.cfg': [
        '[DefaultSettings:d]',
        'directory = /tmp',
        'limit_nofile = 512',
        'umask = 077',
        'autorestart = unexpected',
        programSection('p', 'defaults = d\numask = 022'),
      ].join('\n'),
    });
    expect(home.read().programs.get('p')).toMatchObject({
      directory: '/tmp',
      limits: { nofile: { soft: 512, hard: 512 } },
      umask: 0o022,
      restartOnlyUnexpected: true,
    });
  });

  it.each([
    ['directory = work', 'directory', 'not an absolute path'],
    ['env_file = /a.env, b.env', 'env_file', '"b.env" is not an absolute path'],
    ['umask = 0899', 'umask', 'must be octal'],
    ['nice = 20', 'nice', '-20 to 19'],
    ['limit_nofile = 10K', 'limit_nofile', '"10K" is not a number'],
    ['limit_nofile = 4096:1024', 'limit_nofile', 'soft limit 4096 is above the hard limit 1024'],
    ['limit_as = infinity:1G', 'limit_as', 'soft limit infinity is above'],
    ['limit_core = 1:2:3', 'limit_core', 'more than one ":"'],
    ['autorestart = sometimes', 'autorestart', '"unexpected"'],
    ['exit_codes = 0, 256', 'exit_codes', '"256" is not an exit code'],
    ['reload_signal = RELOAD', 'reload_signal', 'signal name'],
    ['restart_on_change = /srv/app, src', 'restart_on_change', '"src" is not an absolute path'],
    ['restart_on_change_ignore = **/*.log, [abc', 'restart_on_change_ignore', 'unclosed "["'],
    ['restart_on_change_ignore = *.{js', 'restart_on_change_ignore', 'braces are not supported'],
  ])('rejects %s with file, line and key', (line, key, detail) => {
    home = makeConfigHome();
    home.files({ 'cfg/p.cfg': programSection('p', line) });
    const error = home.readErrors().errors[0]!;
    expect(error).toMatchObject({ file: home.path('cfg/p.cfg'), line: 5, key });
    expect(error.detail).toContain(detail);
  });

  it('rejects a bad value in a DefaultSettings no program uses, at its line', () => {
    home = makeConfigHome();
    home.files({ 'cfg/d.cfg': '[DefaultSettings:d]\nlimit_nproc = lots\n' });
    expect(home.readErrors().errors[0]).toMatchObject({ line: 2, key: 'limit_nproc' });
  });
});
