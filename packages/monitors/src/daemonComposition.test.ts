import fs from 'node:fs';
import { ConfigErrors, readConfig } from '@usrsvc/config';
import { readProcess } from '@usrsvc/procscan';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinMonitorPlugins } from './builtinMonitorPlugins.js';
import { createMonitors } from './createMonitors.js';
import { isMonitoringDue } from './isMonitoringDue.js';
import { loadMonitorPlugins } from './loadMonitorPlugins.js';
import { monitoringKeysOf } from './monitoringKeysOf.js';
import { runMonitorChecks } from './runMonitorChecks.js';

// What usrsvcd does: load plugins, read the config with their keys, create monitors per program, check.
const self = readProcess(process.pid)!;
let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-compose-');
  home.write(
    'node_modules/usrsvc-monitor-flag/package.json',
    JSON.stringify({ name: 'usrsvc-monitor-flag', type: 'module', exports: './index.js' }),
  );
  home.write(
    'node_modules/usrsvc-monitor-flag/index.js',
    `import fs from 'node:fs/promises';
export default {
  name: 'flag',
  keys: {
    flag_file: { type: 'path', description: 'restart when this file exists' },
    flag_grace: { type: 'integer', default: 7, validate: (v) => (v >= 0 ? undefined : 'must be 0 or more') },
  },
  create(program) {
    const file = program.monitoring.flag_file;
    if (!file) return undefined;
    return {
      name: 'flag',
      async check({ signal }) {
        try { await fs.access(file); } catch { return { restart: false }; }
        return { restart: true, reason: 'flag ' + file + ' raised (grace ' + program.monitoring.flag_grace + ')' };
      },
    };
  },
};`,
  );
});
afterEach(() => home.remove());

function writeConfig(monitoring: string): string {
  fs.mkdirSync(home.path('logs'), { recursive: true });
  return home.write(
    'usrsvc.cfg',
    `[Main]
pidfile = ${home.path('usrsvcd.pid')}
monitor_plugins = usrsvc-monitor-flag

[Program:web]
command = /bin/sleep 1000
pidfile = ${home.path('web.pid')}
stdout = ${home.path('logs', 'web.log')}

  [[Monitor]]
${monitoring}
`,
  );
}

describe('composition as usrsvcd does it', () => {
  it('reads plugin keys through the config reader and runs built-in and plugin monitors together', async () => {
    const activity = home.write('activity', 'x');
    const flag = home.path('flag');
    const file = writeConfig(`    monitor_after = 0\n    activityfile = ${activity}\n    rss_limit = 100000000\n    flag_file = ${flag}\n`);
    const plugins = await loadMonitorPlugins(['usrsvc-monitor-flag'], { resolveFrom: [home.dir] });
    const config = readConfig({ path: file, env: home.env(), monitoringKeys: monitoringKeysOf([...builtinMonitorPlugins, ...plugins]) });
    const program = config.programs.get('web')!;
    expect(program.monitoring).toMatchObject({ monitor_after: 0, activityfile: activity, activityfile_limit: 120, flag_file: flag, flag_grace: 7 });

    const { monitors, errors } = createMonitors(program, [...builtinMonitorPlugins, ...plugins]);
    expect(errors).toEqual([]);
    expect(monitors.map((monitor) => monitor.name)).toEqual(['activityfile', 'rss', 'flag']);
    expect(isMonitoringDue(program, self, Date.now())).toBe(true);
    expect((await runMonitorChecks(monitors, { process: self }, 3000)).map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);

    fs.writeFileSync(flag, '');
    const outcomes = await runMonitorChecks(monitors, { process: self }, 3000);
    expect(outcomes[2]).toMatchObject({ kind: 'restart', monitor: 'flag', reason: `flag ${flag} raised (grace 7)` });
  });

  it('lets the config reader reject a bad plugin value, naming the key', async () => {
    const file = writeConfig('    flag_file = relative/path\n    flag_grace = -1\n');
    const plugins = await loadMonitorPlugins(['usrsvc-monitor-flag'], { resolveFrom: [home.dir] });
    let thrown: unknown;
    try {
      readConfig({ path: file, env: home.env(), monitoringKeys: monitoringKeysOf(plugins) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigErrors);
    const keys = (thrown as ConfigErrors).errors.map((error) => error.key);
    expect(keys).toContain('flag_file');
    expect(keys).toContain('flag_grace');
  });

  it('gates monitoring on monitor_after from the config', () => {
    const file = writeConfig('    rss_limit = 1000\n');
    const program = readConfig({ path: file, env: home.env(), monitoringKeys: {} }).programs.get('web')!;
    expect(program.monitoring.monitor_after).toBe(30);
    expect(isMonitoringDue(program, self, self.startTime + 29_000)).toBe(false);
    expect(isMonitoringDue(program, self, self.startTime + 30_000)).toBe(true);
  });
});
