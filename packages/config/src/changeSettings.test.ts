import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE_IGNORE } from './changeGlob.js';
import { type ConfigHome, makeConfigHome, programSection } from './test-support/configHome.js';

let home: ConfigHome;
afterEach(() => home?.remove());

describe('restart_on_change and restart_on_change_ignore', () => {
  it('reads absolute paths (trailing "/" dropped) and globs', () => {
    home = makeConfigHome();
    home.files({ 'cfg/p.cfg': programSection('p', 'restart_on_change = @HOME@/app/, @HOME@/conf.yml\nrestart_on_change_ignore = **/*.log, tmp') });
    expect(home.read().programs.get('p')).toMatchObject({ restartOnChange: [home.path('app'), home.path('conf.yml')], restartOnChangeIgnore: ['**/*.log', 'tmp'] });
  });

  it('is off by default, with the default ignores; a list of its own replaces them', () => {
    home = makeConfigHome();
    home.files({ 'cfg/p.cfg': programSection('p'), 'cfg/q.cfg': programSection('q', 'restart_on_change = /srv\nrestart_on_change_ignore = *.log') });
    const { programs } = home.read();
    expect(programs.get('p')).toMatchObject({ restartOnChange: [], restartOnChangeIgnore: [...DEFAULT_CHANGE_IGNORE] });
    expect(programs.get('q')).toMatchObject({ restartOnChange: ['/srv'], restartOnChangeIgnore: ['*.log'] });
  });

  it('is usable in [DefaultSettings:NAME]', () => {
    home = makeConfigHome();
    home.files({ 'cfg/p.cfg': ['[DefaultSettings:d]', 'restart_on_change = /srv/app', 'restart_on_change_ignore = *.tmp', programSection('p', 'defaults = d')].join('\n') });
    expect(home.read().programs.get('p')).toMatchObject({ restartOnChange: ['/srv/app'], restartOnChangeIgnore: ['*.tmp'] });
  });

  it('rejects a bad glob in a DefaultSettings no program uses, at its line', () => {
    home = makeConfigHome();
    home.files({ 'cfg/d.cfg': '[DefaultSettings:d]\nrestart_on_change_ignore = [x\n' });
    expect(home.readErrors().errors[0]).toMatchObject({ line: 2, key: 'restart_on_change_ignore' });
  });
});
