import fs from 'node:fs';
import { readConfig } from '@usrsvc/config';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importConfig } from './importConfig.js';
import type { ImportResult } from './types.js';
import { fileOf, lineOf, outcomeText } from './test-support/outcomes.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-import-instances-');
});
afterEach(() => home.remove());

// The two numprocs programs most often found in real supervisord files: a Laravel queue worker (as
// Laravel's documentation and Forge write it) and Celery workers named by their process number.
const LARAVEL = `[program:laravel-worker]
process_name=%(program_name)s_%(process_num)02d
command=php @HOME@/app/artisan queue:work sqs --sleep=3 --tries=3 --max-time=3600
autostart=true
autorestart=true
stopasgroup=true
killasgroup=true
numprocs=8
redirect_stderr=true
stdout_logfile=@HOME@/app/worker.log
stopwaitsecs=3600
`;

const CELERY = `; celery workers, one node name per process
[program:celery]
command=/srv/venv/bin/celery -A proj worker --loglevel=INFO -n worker%(process_num)d@%%h
directory=/srv/proj
numprocs=3
process_name=%(program_name)s-%(process_num)d
stdout_logfile=@HOME@/logs/celery-%(process_num)d.log
stderr_logfile=@HOME@/logs/celery-%(process_num)d.err
stopwaitsecs=600
priority=998
`;

// pm2's cluster mode, as in pm2's own ecosystem examples.
const ECOSYSTEM = `module.exports = {
  apps: [{
    name: 'api',
    script: './server.js',
    instances: 2,
    exec_mode: 'cluster',
    out_file: './logs/api-out.log',
    error_file: './logs/api-err.log',
  }],
};
`;

/** The imported files loaded by usrsvc's own config reader, as `usrsvc import --write` leaves them. */
function loadImported(result: ImportResult) {
  home.write('usrsvc.cfg', `[Main]\nconfig_dir = ${home.path('cfg')}\npidfile = ${home.path('usrsvcd.pid')}\n`);
  for (const program of result.programs) {
    for (const folder of program.folders) fs.mkdirSync(folder, { recursive: true });
    home.write(`cfg/${program.name}.cfg`, program.text);
  }
  return readConfig({ env: { HOME: home.dir } }).programs;
}

const write = (name: string, text: string) => home.write(name, text.replaceAll('@HOME@', home.dir));

describe('importing numprocs and pm2 instances onto instances', () => {
  it('a Laravel queue worker: numprocs = 8 becomes instances = 8, with a pidfile and log per instance', async () => {
    write('app/.keep', '');
    const result = await importConfig('supervisord', [write('supervisor/laravel-worker.conf', LARAVEL)], { env: home.env() });
    expect(outcomeText(lineOf(result, 'laravel-worker', 'numprocs'))).toBe('mapped to instances');
    expect(lineOf(result, 'laravel-worker', 'process_name').note).toBe('instances are named NAME@0, NAME@1...');
    const text = fileOf(result, 'laravel-worker');
    expect(text).toContain('\ninstances = 8\n');
    expect(text).toContain(`\nstdout = ${home.path('app', 'worker-%(instance)d.log')}\n`);

    const programs = loadImported(result);
    expect([...programs.keys()]).toEqual(Array.from({ length: 8 }, (_, k) => `laravel-worker@${k}`));
    const pidfiles = new Set([...programs.values()].map((program) => program.pidfile));
    expect(pidfiles.size).toBe(8);
    expect(programs.get('laravel-worker@7')).toMatchObject({
      pidfile: home.path('usrsvc.d', 'pids', 'laravel-worker@7.pid'),
      stdout: home.path('app', 'worker-7.log'),
      stderr: home.path('app', 'worker-7.log'),
      termToKillSeconds: 3600,
      stopAsGroup: true,
      env: { USRSVC_INSTANCE: '7' },
    });
  });

  it('celery workers: %(process_num)d in command and logs is each instance number', async () => {
    write('logs/.keep', '');
    const result = await importConfig('supervisord', [write('supervisor/celery.conf', CELERY)], { env: home.env() });
    const text = fileOf(result, 'celery');
    expect(text).toContain('\ncommand = /srv/venv/bin/celery -A proj worker --loglevel=INFO -n worker%(instance)d@%h\n');
    expect(text).toContain(`\nstdout = ${home.path('logs', 'celery-%(instance)d.log')}\n`);

    const programs = loadImported(result);
    expect([...programs.keys()]).toEqual(['celery@0', 'celery@1', 'celery@2']);
    expect(programs.get('celery@2')).toMatchObject({
      argv: ['/srv/venv/bin/celery', '-A', 'proj', 'worker', '--loglevel=INFO', '-n', 'worker2@%h'],
      directory: '/srv/proj',
      stdout: home.path('logs', 'celery-2.log'),
      stderr: home.path('logs', 'celery-2.err'),
    });
    expect(programs.get('celery@2')!.proctitleRe.test('/srv/venv/bin/celery -A proj worker --loglevel=INFO -n worker1@%h')).toBe(false);
  });

  it("pm2's cluster mode: instances = 2, each with pm2's own log files per instance", async () => {
    write('eco/server.js', 'setInterval(() => {}, 1000);\n');
    write('eco/logs/.keep', '');
    const result = await importConfig('pm2', [write('eco/ecosystem.config.js', ECOSYSTEM)], { env: home.env() });
    expect(outcomeText(lineOf(result, 'api', 'apps[0].instances'))).toBe('mapped to instances');
    const programs = loadImported(result);
    expect([...programs.keys()]).toEqual(['api@0', 'api@1']);
    expect(programs.get('api@1')).toMatchObject({
      stdout: home.path('eco', 'logs', 'api-out-1.log'),
      stderr: home.path('eco', 'logs', 'api-err-1.log'),
      pidfile: home.path('usrsvc.d', 'pids', 'api@1.pid'),
    });
  });
});
