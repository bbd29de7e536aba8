import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportParseError } from './ImportParseError.js';
import { importConfig } from './importConfig.js';
import { FUTURE_KEYS, fileOf, lineOf, mappedOrNotYet, outcomeText } from './test-support/outcomes.js';

let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-import-');
});
afterEach(() => home.remove());

// The shapes of real files: CRLF, inline ";" comments, "%%", a multi-line environment with a
// comment line inside, %(ENV_X)s and %(program_name)s, [include] of a conf.d glob.
const MAIN = [
  '; supervisord.conf',
  '[supervisord]',
  'logfile = /tmp/supervisord.log ; the daemon log',
  '',
  '[program:web]',
  'command = /usr/bin/python3 -m http.server %(ENV_WEB_PORT)s --bind 127.0.0.1 ; the site',
  'environment = LANG="en_US.UTF-8",',
  '    ; a comment line inside the value',
  '    GREETING="hello, world",PATH=/usr/local/bin:/usr/bin:/bin',
  'stopsignal = QUIT',
  'stopwaitsecs = 15',
  'stopasgroup = true',
  'killasgroup = true',
  'startsecs = 3',
  'startretries = 4',
  'redirect_stderr = true',
  'stdout_logfile_maxbytes = 20MB',
  'stdout_logfile_backups = 3',
  'autorestart = unexpected',
  'exitcodes = 0,2',
  'directory = /srv/%(program_name)s',
  'user = nobody-else',
  '',
  '[program:percent]',
  'command = /bin/echo 100%% done;not-a-comment',
  '',
  '[group:site]',
  'programs = web,percent',
  '',
  '[eventlistener:crashmail]',
  'command = crashmail -a',
  '',
  '[include]',
  'files = conf.d/*.conf',
].join('\r\n');

const WORKER = `[program:worker]
command = /usr/bin/env sleep 10%(process_num)02d
numprocs = 3
process_name = %(program_name)s_%(process_num)02d
stdout_logfile = ${'%(here)s'}/logs/worker.log
priority = 10
`;

function writeSources(): string {
  home.write('etc/conf.d/worker.conf', WORKER);
  home.write('etc/conf.d/logs/.keep', '');
  return home.write('etc/supervisord.conf', MAIN);
}

describe('supervisord', () => {
  it('maps what usrsvc has today exactly, with supervisord quoting, comments, %% and CRLF', async () => {
    const file = writeSources();
    const result = await importConfig('supervisord', [file], { env: home.env({ WEB_PORT: '8123' }) });
    const web = fileOf(result, 'web');
    expect(web).toContain('\ncommand = /usr/bin/python3 -m http.server 8123 --bind 127.0.0.1\n');
    expect(web).toContain('\nstop_signal = QUIT\n');
    expect(web).toContain('\nterm_to_kill_seconds = 15\n');
    expect(web).toContain('\nstop_as_group = True\n');
    expect(web).toContain('\nsuccess_seconds = 3\n');
    expect(web).toContain('\nmaxrestarts = 4\n');
    expect(web).toContain('\nstderr = stdout\n');
    expect(web).toContain('\nlog_max_bytes = 20MB\n');
    expect(web).toContain('\nlog_backups = 3\n');
    expect(web).toContain(`\npidfile = ${home.path('usrsvc.d', 'pids', 'web.pid')}\n`);
    expect(web).toContain(`\nstdout = ${home.path('usrsvc.d', 'logs', 'web.log')}\n`);
    expect(web).toMatch(/\[\[Env\]\]\n {2}LANG = en_US.UTF-8\n {2}GREETING = hello, world\n {2}PATH = \/usr\/local\/bin:\/usr\/bin:\/bin\n/);
    expect(fileOf(result, 'percent')).toContain('\ncommand = /bin/echo 100% done;not-a-comment\n');

    expect(outcomeText(lineOf(result, 'web', 'user'))).toMatch(/^not mapped: usrsvc runs programs as the account that runs it \(.+\), not as nobody-else$/);
    expect(outcomeText(lineOf(result, '', '[eventlistener:crashmail]'))).toMatch(/^not mapped: usrsvc has no event listeners/);
    expect(outcomeText(lineOf(result, '', '[supervisord]'))).toMatch(/^not mapped: supervisord's own settings/);
    expect(lineOf(result, 'web', '[program:web]').note).toMatch(/group site/);
    expect(outcomeText(lineOf(result, 'worker', 'priority'))).toMatch(/--priority-as-order/);
    expect(lineOf(result, 'web', 'command').from.line).toBe(6);
    expect(result.complete).toBe(false);
  });

  it('maps the keys being added (directory, instances, autorestart=unexpected, exit_codes) or says usrsvc has none yet', async () => {
    const file = writeSources();
    const result = await importConfig('supervisord', [file], { env: home.env({ WEB_PORT: '8123' }) });
    expect(mappedOrNotYet(result, 'web', 'directory', 'directory')).toBe(true);
    expect(mappedOrNotYet(result, 'web', 'autorestart', 'autorestart')).toBe(true);
    expect(mappedOrNotYet(result, 'web', 'exitcodes', 'exit_codes')).toBe(true);
    expect(outcomeText(lineOf(result, 'worker', 'numprocs'))).toBe('mapped to instances');
    const worker = fileOf(result, 'worker');
    expect(worker).toContain('\ninstances = 3\n');
    expect(worker).toContain('\ncommand = /usr/bin/env sleep 10%(instance)02d\n');
    expect(worker).toContain(`\nstdout = ${home.path('etc', 'conf.d', 'logs', 'worker-%(instance)d.log')}\n`);
  });

  it('with those keys known: one program with instances and %(instance)02d, directory, depends_on from priorities', async () => {
    const file = writeSources();
    const result = await importConfig('supervisord', [file], {
      env: home.env({ WEB_PORT: '8123' }),
      targetKeys: FUTURE_KEYS,
      priorityAsOrder: true,
    });
    const worker = fileOf(result, 'worker');
    expect(worker).toContain('\ncommand = /usr/bin/env sleep 10%(instance)02d\n');
    expect(worker).toContain('\ninstances = 3\n');
    expect(worker).toContain(`\npidfile = ${home.path('usrsvc.d', 'pids', 'worker@%(instance)d.pid')}\n`);
    const web = fileOf(result, 'web');
    expect(web).toContain('\ndirectory = /srv/web\n');
    expect(web).toContain('\nautorestart = unexpected\n');
    expect(web).toContain('\nexit_codes = 0,2\n');
    expect(web).toContain('\ndepends_on = worker\n');
    expect(outcomeText(lineOf(result, 'worker', 'priority'))).toBe('mapped to nothing to set');
  });

  it('an unset %(ENV_X)s is not mapped, naming the variable', async () => {
    const file = writeSources();
    const env = home.env();
    delete env.WEB_PORT;
    const result = await importConfig('supervisord', [file], { env });
    expect(outcomeText(lineOf(result, 'web', 'command'))).toMatch(/ENV_WEB_PORT.*WEB_PORT is not set/);
  });

  it('a line that is not a setting is a parse error naming file and line', async () => {
    const file = home.write('bad.conf', '[program:a]\ncommand = sleep 1\nthis is not a setting\n');
    const error = await importConfig('supervisord', [file]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportParseError);
    expect((error as ImportParseError).message).toMatch(new RegExp(`^${file}:3: `));
  });
});
