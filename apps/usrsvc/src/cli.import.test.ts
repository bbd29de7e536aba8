import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRunning, readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliTestHome, makeCliTestHome } from './test-support/cliTestHome.js';
import { uniqueSleep } from './test-support/testConfig.js';

const USRSVCD = fileURLToPath(new URL('../dist/usrsvcd.cjs', import.meta.url));

let t: CliTestHome;
afterEach(() => t?.cleanup());

function checkconfig(): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [USRSVCD, 'checkconfig'], { env: t.home.env(), encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('usrsvc import', () => {
  it('supervisord: writes one file per program into config_dir, never over one, files pass checkconfig; the program starts and stops', async () => {
    t = makeCliTestHome({});
    t.home.write('cfg/.keep', '');
    const sleep = uniqueSleep();
    const conf = t.home.write(
      'etc/supervisord.conf',
      [
        '[supervisord]',
        'nodaemon = true',
        '[program:sleeper]',
        `command = ${sleep} ; the worker`,
        'startsecs = 0.3',
        'stopwaitsecs = 2',
        'stopsignal = TERM',
        'environment = GREETING="hi, there",',
        '  MODE=test',
        'directory = /tmp',
        'autorestart = unexpected',
        'exitcodes = 0,3',
        '[program:other]',
        'command = /bin/sleep 5',
        'numprocs = 2',
        'process_name = %(program_name)s_%(process_num)d',
        'priority = 1',
      ].join('\r\n'),
    );
    const run = await t.usrsvc(['import', 'supervisord', conf]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1); // [supervisord], priority... are not mapped
    expect(run.stdout).toMatch(/sleeper: .*supervisord\.conf:4 command -> command\n/);
    expect(run.stdout).toMatch(/sleeper: .*supervisord\.conf:5 startsecs -> success_seconds\n/);
    expect(run.stdout).toMatch(/supervisord\.conf:1 \[supervisord\] -> not mapped: supervisord's own settings/);
    expect(run.stdout).toMatch(/sleeper: .*:10 directory -> (directory|not mapped: usrsvc has no directory yet)\n/);
    expect(run.stdout).toMatch(/other: .*:15 numprocs -> instances\n/);
    expect(run.stdout).toContain(`wrote ${t.home.path('cfg', 'sleeper.cfg')}\n`);
    expect(run.stdout).toContain(`wrote ${t.home.path('cfg', 'other.cfg')}\n`);
    const written = fs.readFileSync(t.home.path('cfg', 'sleeper.cfg'), 'utf8');
    expect(written).toContain(`\ncommand = ${sleep}\n`);
    expect(written).toMatch(/\[\[Env\]\]\n {2}GREETING = hi, there\n {2}MODE = test\n/);
    expect(checkconfig()).toMatchObject({ code: 0 });

    // Never over an existing file, even one it wrote.
    fs.writeFileSync(t.home.path('cfg', 'sleeper.cfg'), `${written}# edited by hand\n`);
    const again = await t.usrsvc(['import', 'supervisord', conf]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${t.home.path('cfg', 'sleeper.cfg')} exists: not overwritten`);
    expect(fs.readFileSync(t.home.path('cfg', 'sleeper.cfg'), 'utf8')).toContain('# edited by hand');

    // A program configured already under another file name is not imported again.
    fs.renameSync(t.home.path('cfg', 'other.cfg'), t.home.path('cfg', 'zz-other.cfg'));
    const duplicate = await t.usrsvc(['import', 'supervisord', conf]);
    expect(duplicate.stderr).toMatch(/other is configured already \(.*zz-other\.cfg:2\): .*other\.cfg not written/);
    expect(fs.existsSync(t.home.path('cfg', 'other.cfg'))).toBe(false);
    expect(checkconfig()).toMatchObject({ code: 0 });

    // The round trip: the imported program starts and stops with usrsvc.
    const pidfile = t.home.path('usrsvc.d', 'pids', 'sleeper.pid');
    t.reaper.trackPidfile(pidfile);
    const start = await t.usrsvc(['start', 'sleeper']);
    expect(start.code, start.stderr).toBe(0);
    const pid = readPidfile(pidfile)!;
    expect(isRunning(pid)).toBe(true);
    expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('GREETING=hi, there');
    const stop = await t.usrsvc(['stop', 'sleeper']);
    expect(stop.code, stop.stderr).toBe(0);
    await waitFor('the imported program to exit', () => !isRunning(pid), { timeoutMs: 30_000 });
  });

  it('pm2 --dry-run writes nothing; --to DIR; a source that does not parse exits 130 naming file:line', async () => {
    t = makeCliTestHome({});
    t.home.write('cfg/.keep', '');
    const eco = t.home.write(
      'app/ecosystem.config.js',
      `module.exports = { apps: [{ name: 'api', script: '/bin/sleep', args: [String(6 * 600)], env: { A: 'dev' }, env_production: { A: 'prod' }, max_memory_restart: '1G', cron_restart: '0 * * * *' }] };\n`,
    );
    const dry = await t.usrsvc(['import', 'pm2', eco, '--env', 'production', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/api: .*apps\[0\]\.cron_restart -> not mapped: usrsvc has no scheduled restarts/);
    expect(dry.stdout).toContain('\ncommand = /bin/sleep 3600\n');
    expect(dry.stdout).toMatch(/ {2}A = prod\n/);
    expect(dry.stdout).toMatch(/ {2}rss_limit = 1048576\n/);
    expect(fs.readdirSync(t.home.path('cfg'))).toEqual(['.keep']);

    const to = t.home.path('imported');
    const real = await t.usrsvc(['import', 'pm2', eco, '--to', to]);
    expect(real.code).toBe(1);
    expect(fs.readdirSync(to)).toEqual(['api.cfg']);

    const bad = t.home.write('Procfile', 'web: ./run\nthis is no process\n');
    const broken = await t.usrsvc(['import', 'procfile', bad]);
    expect(broken.code).toBe(130);
    expect(broken.stderr).toContain(`${bad}:2: expected "name: command"`);
    const unknownKind = await t.usrsvc(['import', 'systemd', bad]);
    expect(unknownKind.code).toBe(1);
  });
});
