import { readConfig } from '@usrsvc/config';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importConfig } from './importConfig.js';
import { fileOf, lineOf, outcomeText } from './test-support/outcomes.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-import-pm2-watch-');
});
afterEach(() => home.remove());

describe('pm2 watch and ignore_watch, with the keys usrsvc has', () => {
  it('map onto restart_on_change and restart_on_change_ignore (paths relative to cwd made absolute), and the file loads', async () => {
    home.write('eco/app/server.js', 'setInterval(() => {}, 1000);\n');
    const file = home.write(
      'eco/ecosystem.config.cjs',
      `module.exports = { apps: [
        { name: 'api', script: 'server.js', cwd: __dirname + '/app', watch: true, ignore_watch: ['node_modules', './logs', '*.log'] },
        { name: 'worker', script: 'server.js', cwd: __dirname + '/app', watch: ['src', 'config/app.json'] },
      ] };\n`,
    );
    const result = await importConfig('pm2', [file], { env: home.env() });
    expect(outcomeText(lineOf(result, 'api', 'apps[0].watch'))).toBe('mapped to restart_on_change');
    expect(outcomeText(lineOf(result, 'api', 'apps[0].ignore_watch'))).toBe('mapped to restart_on_change_ignore');
    expect(fileOf(result, 'api')).toContain(`\nrestart_on_change = ${home.path('eco', 'app')}\n`);
    expect(fileOf(result, 'api')).toContain(`\nrestart_on_change_ignore = node_modules, ${home.path('eco', 'app', 'logs')}, *.log\n`);
    expect(fileOf(result, 'worker')).toContain(`\nrestart_on_change = ${home.path('eco', 'app', 'src')}, ${home.path('eco', 'app', 'config', 'app.json')}\n`);

    // What was written is a configuration usrsvc reads (what checkconfig validates).
    for (const program of result.programs) home.write(`cfg/${program.name}.cfg`, program.text);
    for (const program of result.programs) for (const folder of program.folders) home.write(`${folder.slice(home.dir.length + 1)}/.keep`, '');
    home.write('usrsvc.cfg', `[Main]\nconfig_dir = ${home.path('cfg')}\n`);
    const config = readConfig({ env: home.env() });
    expect(config.programs.get('api')).toMatchObject({ restartOnChange: [home.path('eco', 'app')], restartOnChangeIgnore: ['node_modules', home.path('eco', 'app', 'logs'), '*.log'] });
  });

  it('reports an ignore_watch usrsvc cannot take (a glob with braces), without writing it', async () => {
    home.write('eco/app/server.js', '');
    const file = home.write('eco/eco.json', JSON.stringify({ apps: [{ name: 'j', script: 'server.js', cwd: home.path('eco', 'app'), watch: true, ignore_watch: ['*.{log,tmp}'] }] }));
    const result = await importConfig('pm2', [file], { env: home.env() });
    expect(outcomeText(lineOf(result, 'j', 'apps[0].ignore_watch'))).toMatch(/^not mapped: usrsvc's restart_on_change_ignore does not take/);
    expect(fileOf(result, 'j')).not.toContain('restart_on_change_ignore');
  });
});
