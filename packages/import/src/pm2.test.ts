import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportParseError } from './ImportParseError.js';
import { importConfig } from './importConfig.js';
import { FUTURE_KEYS, fileOf, lineOf, mappedOrNotYet, outcomeText } from './test-support/outcomes.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-import-pm2-');
});
afterEach(() => home.remove());

// An ecosystem file that computes values, as real ones do (path.join, process.env, a loop).
const ECOSYSTEM_CJS = `const path = require('node:path');
const base = { max_memory_restart: '300M', kill_timeout: 3000 };
module.exports = {
  apps: [
    {
      ...base,
      name: 'api',
      script: 'server.js',
      cwd: path.join(__dirname, 'app'),
      args: ['--port', String(4000 + 1)],
      instances: 'max',
      exec_mode: 'cluster',
      env: { NODE_ENV: 'development', LEVEL: 'debug' },
      env_production: { NODE_ENV: 'production' },
      max_restarts: 10,
      min_uptime: '5s',
      out_file: path.join(__dirname, 'logs', 'api.out.log'),
      error_file: path.join(__dirname, 'logs', 'api.err.log'),
      watch: ['src'],
      ignore_watch: ['node_modules'],
      cron_restart: '0 3 * * *',
    },
  ],
};
`;

describe('pm2', () => {
  it('a CommonJS ecosystem file, loaded by Node as pm2 loads it: exact keys of today, --env production', async () => {
    home.write('eco/app/server.js', 'setInterval(() => {}, 1000);\n');
    home.write('eco/logs/.keep', '');
    const file = home.write('eco/ecosystem.config.cjs', ECOSYSTEM_CJS);
    const result = await importConfig('pm2', [file], { env: home.env(), pm2Env: 'production', cpus: 4 });
    const api = fileOf(result, 'api');
    expect(api).toContain(`\ncommand = node ${home.path('eco', 'app', 'server.js')} --port 4001\n`);
    expect(api).toContain('\nterm_to_kill_seconds = 3\n');
    expect(api).toContain('\nmaxrestarts = 10\n');
    expect(api).toContain('\nsuccess_seconds = 5\n');
    // instances = 4 now exists: each instance gets its own log files, as pm2 writes out-0.log...
    expect(api).toContain('\ninstances = 4\n');
    expect(api).toContain(`\nstdout = ${home.path('eco', 'logs', 'api.out-%(instance)d.log')}\n`);
    expect(api).toContain(`\nstderr = ${home.path('eco', 'logs', 'api.err-%(instance)d.log')}\n`);
    expect(api).toMatch(/\[\[Env\]\]\n {2}NODE_ENV = production\n {2}LEVEL = debug\n/);
    expect(api).toMatch(/\[\[Monitoring\]\]\n {2}rss_limit = 307200\n/);
    expect(outcomeText(lineOf(result, 'api', 'apps[0].cron_restart'))).toMatch(/^not mapped: usrsvc has no scheduled restarts/);
    expect(lineOf(result, 'api', 'apps[0].exec_mode').note).toMatch(/SO_REUSEPORT/);
    expect(outcomeText(lineOf(result, 'api', 'apps[0].instances'))).toBe('mapped to instances');
    expect(mappedOrNotYet(result, 'api', 'apps[0].cwd', 'directory')).toBe(true);
    expect(mappedOrNotYet(result, 'api', 'apps[0].watch', 'restart_on_change')).toBe(true);
    expect(mappedOrNotYet(result, 'api', 'apps[0].ignore_watch', 'restart_on_change_ignore')).toBe(true);
  });

  it('with the keys being added known: instances "max" is the CPU count, watch paths, cwd', async () => {
    home.write('eco/app/server.js', '');
    const file = home.write('eco/ecosystem.config.cjs', ECOSYSTEM_CJS);
    const result = await importConfig('pm2', [file], { env: home.env(), cpus: 4, targetKeys: FUTURE_KEYS });
    const api = fileOf(result, 'api');
    expect(api).toContain('\ninstances = 4\n');
    expect(api).toContain(`\ndirectory = ${home.path('eco', 'app')}\n`);
    expect(api).toContain(`\nrestart_on_change = ${home.path('eco', 'app', 'src')}\n`);
    expect(api).toContain('\nrestart_on_change_ignore = node_modules\n');
    expect(api).toContain(`\npidfile = ${home.path('usrsvc.d', 'pids', 'api@%(instance)d.pid')}\n`);
    expect(api).toContain(`\nstdout = ${home.path('eco', 'logs', 'api.out-%(instance)d.log')}\n`);
    expect(outcomeText(lineOf(result, 'api', 'apps[0].env_production'))).toMatch(/--env production/);
  });

  it('JSON, YAML and ES-module files (.mjs, and .js in a "type": "module" folder); an interpreter and a string of args', async () => {
    const json = home.write('p/eco.json', JSON.stringify({ apps: [{ name: 'j', script: 'worker.py', interpreter: 'python3', args: '-v --name "a b"' }] }));
    const yaml = home.write('p/eco.yml', 'apps:\n  - name: y\n    script: /bin/sleep\n    args: "3600"\n    autorestart: false\n');
    const mjs = home.write('p/eco.mjs', 'export default { apps: [{ name: "m", script: "/bin/sleep", args: [String(60 * 60)] }] };\n');
    home.write('esm/package.json', '{ "type": "module" }\n');
    const esmJs = home.write('esm/ecosystem.config.js', 'export default { apps: [{ name: "e", script: "/bin/sleep", args: "7" }] };\n');
    const result = await importConfig('pm2', [json, yaml, mjs, esmJs], { env: home.env() });
    expect(fileOf(result, 'e')).toContain('\ncommand = /bin/sleep 7\n');
    expect(fileOf(result, 'j')).toContain("\ncommand = python3 worker.py -v --name 'a b'\n");
    expect(fileOf(result, 'y')).toContain('\ncommand = /bin/sleep 3600\n');
    expect(fileOf(result, 'y')).toContain('\nautorestart = False\n');
    expect(fileOf(result, 'm')).toContain('\ncommand = /bin/sleep 3600\n');
  });

  it('a JS file that throws or does not parse is a parse error naming file and line', async () => {
    const file = home.write('bad.config.js', 'module.exports = {\n  apps: [\n    { name: "x", script: "a.js" }\n  ]\n  oops\n};\n');
    const error = await importConfig('pm2', [file]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportParseError);
    expect((error as ImportParseError).file).toBe(file);
    expect((error as ImportParseError).line).toBe(5);
    const yaml = home.write('bad.yml', 'apps:\n  - name: a\n   script: b\n');
    const yamlError = await importConfig('pm2', [yaml]).catch((caught: unknown) => caught);
    expect((yamlError as ImportParseError).line).toBe(3);
  });
});
