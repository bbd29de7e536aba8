import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE_IGNORE } from './changeGlob.js';
import { ConfigError, ConfigErrors } from './ConfigError.js';
import { type ConfigHome, makeConfigHome, programSection } from './test-support/configHome.js';

let home: ConfigHome;
afterEach(() => home?.remove());

/**
 * Root reads every folder, so as root the read runs in a child process as the user nobody, as
 * a service account would run it (from the built package, which turbo builds before tests).
 */
function firstErrorDetailAsNobody(home: ConfigHome): string {
  fs.chmodSync(home.dir, 0o755);
  const script = `
    const { readConfig } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
    try { readConfig({ path: ${JSON.stringify(home.path('usrsvc.cfg'))}, env: { HOME: ${JSON.stringify(home.dir)} } }); }
    catch (error) { console.log(error.errors[0].detail); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
  return child.stdout.trim() || child.stderr;
}

/** The seed README's example program, as written there (blank lines and indented Env included). */
const readmeProgram = `[Program:myprogram]


command = /home/myusr/bin/myprogram.py arg1 arg2

pidfile = @HOME@/pids/myprogram.pid

stdout = @HOME@/logs/myprogram.log

stderr = stdout


[[Env]]


	DB_USER = superdb

	DB_NAME = mydatabase
`;

describe('readConfig: valid configurations', () => {
  it("reads the seed README's example program with every default resolved", () => {
    home = makeConfigHome();
    home.files({ 'cfg/myprogram.cfg': readmeProgram });
    const config = home.read();
    const program = config.programs.get('myprogram')!;
    expect(program).toEqual({
      name: 'myprogram',
      file: home.path('cfg/myprogram.cfg'),
      line: 1,
      command: '/home/myusr/bin/myprogram.py arg1 arg2',
      argv: ['/home/myusr/bin/myprogram.py', 'arg1', 'arg2'],
      useShell: false,
      pidfile: home.path('pids/myprogram.pid'),
      enabled: true,
      autoPid: true,
      scanForProcess: true,
      proctitleRe: expect.any(RegExp),
      proctitleReSource: '/home/myusr/bin/myprogram\\.py arg1 arg2$',
      autoStart: true,
      autoRestart: true,
      maxRestarts: 0,
      restartDelay: 0,
      restartDelayMax: 0,
      successSeconds: 2,
      termToKillSeconds: 8,
      stopSignal: 'SIGTERM',
      stopAsGroup: false,
      stdout: home.path('logs/myprogram.log'),
      stderr: home.path('logs/myprogram.log'),
      inheritEnv: true,
      env: { DB_USER: 'superdb', DB_NAME: 'mydatabase' },
      emailAlerts: [],
      monitoring: { monitor_after: 30, activityfile_limit: 120, rss_limit: 0 },
      logMaxBytes: 0,
      logBackups: 5,
      logCompress: false,
      restartOnlyUnexpected: false,
      exitCodes: [0],
      envFiles: [],
      limits: {},
      restartOnChange: [],
      restartOnChangeIgnore: [...DEFAULT_CHANGE_IGNORE],
      readyCheckStatus: [{ from: 200, to: 399 }],
      readyCheckInterval: 1,
      readyCheckTimeout: 5,
      readyTimeout: 60,
      watchdogSeconds: 0,
      dependsOn: [],
    });
    expect(program.proctitleRe.test('/usr/bin/python /home/myusr/bin/myprogram.py arg1 arg2')).toBe(true);
    expect(config.warnings).toEqual([]);
  });

  it('reads a realistic multi-file configuration: sorted, non-.cfg files ignored, defaults inherited', () => {
    home = makeConfigHome('usrsvcd_stdout = @HOME@/logs/usrsvcd.log\nusrsvcd_stderr = stdout\n');
    home.files({
      'cfg/00-defaults.cfg': `# shared settings
[DefaultSettings:web]
success_seconds = 5
restart_delay = 3
maxrestarts = 3
email_alerts = ops@example.com, dev@example.com
[[Env]]
  NODE_ENV = production
  PORT = 8000
[[Monitoring]]
  monitor_after = 10
  rss_limit = 500000
`,
      'cfg/20-api.cfg': `${programSection('api', 'defaults = web\nmaxrestarts = 0')}
[[Env]]
  PORT = 8001
[[Monitor]]
  rss_limit = 100000
  activityfile = @HOME@/api.heartbeat
`,
      'cfg/10-worker.cfg': `${programSection('worker-1.q', 'useshell = True\nautostart = false')}\n${programSection('worker-2.q')}`,
      'cfg/README.txt': '[Program:ignored]\nthis is not config\n',
      'cfg/old.cfg.bak': '[Program:ignored2]\n',
      'cfg/folder.cfg/inner.cfg': '[Program:ignored3]\n',
    });
    const config = home.read();
    expect(config.files).toEqual([
      home.path('usrsvc.cfg'),
      home.path('cfg/00-defaults.cfg'),
      home.path('cfg/10-worker.cfg'),
      home.path('cfg/20-api.cfg'),
    ]);
    expect([...config.programs.keys()]).toEqual(['worker-1.q', 'worker-2.q', 'api']);
    expect(config.main).toMatchObject({
      usrsvcdStdout: home.path('logs/usrsvcd.log'),
      usrsvcdStderr: home.path('logs/usrsvcd.log'),
      configDir: home.path('cfg'),
    });

    const api = config.programs.get('api')!;
    expect(api).toMatchObject({
      defaults: 'web',
      successSeconds: 5,
      restartDelay: 3,
      maxRestarts: 0,
      emailAlerts: ['ops@example.com', 'dev@example.com'],
      env: { NODE_ENV: 'production', PORT: '8001' },
      monitoring: {
        monitor_after: 10,
        rss_limit: 100000,
        activityfile: home.path('api.heartbeat'),
        activityfile_limit: 120,
      },
    });
    expect(config.programs.get('worker-1.q')).toMatchObject({ useShell: true, argv: [], autoStart: false });
    expect(config.defaults.get('web')).toMatchObject({
      file: home.path('cfg/00-defaults.cfg'),
      line: 2,
      env: { NODE_ENV: 'production', PORT: '8000' },
      monitoring: { monitor_after: '10', rss_limit: '500000' },
    });
  });

  it('reads everything from the main file when there is no config_dir, and resolves Main defaults', () => {
    home = makeConfigHome();
    home.files({ 'usrsvc.cfg': `[Main]\n\n${programSection('solo')}\n` });
    const config = home.read();
    expect(config.files).toEqual([home.path('usrsvc.cfg')]);
    expect(config.main).toEqual({
      file: home.path('usrsvc.cfg'),
      pidfile: `${home.dir}/${process.getuid!()}_usrsvcd.pid`,
      sendmailPath: 'auto',
      alertInterval: 300,
      monitorPlugins: [],
      monitorInterval: 5,
      monitorTimeout: 3,
      usrsvcdMaxBytes: 0,
      usrsvcdBackups: 5,
      usrsvcdLogFormat: 'text',
      alertmanagerUrls: [],
    });
    expect(config.programs.has('solo')).toBe(true);
  });

  it('reads the new Main keys', () => {
    home = makeConfigHome(
      'sendmail_path = /usr/sbin/sendmail\nsmtp_url = smtps://user:pw@mail.example.com:465\nemail_from = svc@example.com\nalert_interval = 60\nmonitor_plugins = @usrsvc/monitor-http, /opt/plugins/disk.js\nmonitor_interval = 2.5\nmonitor_timeout = 1\n',
    );
    expect(home.read().main).toMatchObject({
      sendmailPath: '/usr/sbin/sendmail',
      smtpUrl: 'smtps://user:pw@mail.example.com:465',
      emailFrom: 'svc@example.com',
      alertInterval: 60,
      monitorPlugins: ['@usrsvc/monitor-http', '/opt/plugins/disk.js'],
      monitorInterval: 2.5,
      monitorTimeout: 1,
    });
  });

  it('reads the usrsvc-web Main keys', () => {
    home = makeConfigHome('web_listen = [::1]:9800\nweb_tls_cert = /etc/ssl/web.pem\nweb_tls_key = /etc/ssl/web.key\n');
    expect(home.read().main).toMatchObject({ webListen: '[::1]:9800', webTlsCert: '/etc/ssl/web.pem', webTlsKey: '/etc/ssl/web.key' });
  });

  it('reads the log keys: sizes with units, backups, compression, a reopen signal by any name', () => {
    home = makeConfigHome('usrsvcd_max_bytes = 10MB\nusrsvcd_backups = 2\nusrsvcd_log_format = json\n');
    home.files({
      'cfg/a.cfg': programSection('a', 'log_max_bytes = 50MB\nlog_backups = 3\nlog_compress = True\nreopen_signal = usr1'),
      'cfg/b.cfg': programSection('b', 'log_max_bytes = 1GB\nreopen_signal = SIGHUP'),
      'cfg/c.cfg': programSection('c', 'log_max_bytes = 4096'),
    });
    const config = home.read();
    expect(config.main).toMatchObject({ usrsvcdMaxBytes: 10 * 1024 ** 2, usrsvcdBackups: 2, usrsvcdLogFormat: 'json' });
    expect(config.programs.get('a')).toMatchObject({ logMaxBytes: 50 * 1024 ** 2, logBackups: 3, logCompress: true, reopenSignal: 'SIGUSR1' });
    expect(config.programs.get('b')).toMatchObject({ logMaxBytes: 1024 ** 3, reopenSignal: 'SIGHUP' });
    expect(config.programs.get('c')).toMatchObject({ logMaxBytes: 4096, logBackups: 5, logCompress: false });
    expect(config.programs.get('c')!.reopenSignal).toBeUndefined();
  });

  it('reads the metrics and alert-route keys in Main, and webhook keys per program and from DefaultSettings', () => {
    home = makeConfigHome(
      'metrics_textfile = /var/lib/prometheus/node-exporter/usrsvc-web.prom\nwebhook_url = https://hooks.slack.com/services/T0/B0/x\nwebhook_secret = s3cret\nalertmanager_url = http://am1:9093, http://am2:9093/\n',
    );
    home.files({
      'cfg/a.cfg': `[DefaultSettings:hooked]\nwebhook_url = http://127.0.0.1:8080/hook\nwebhook_secret = per-program\n${programSection('a', 'defaults = hooked')}\n${programSection('b')}`,
    });
    const config = home.read();
    expect(config.main).toMatchObject({
      metricsTextfile: '/var/lib/prometheus/node-exporter/usrsvc-web.prom',
      webhookUrl: 'https://hooks.slack.com/services/T0/B0/x',
      webhookSecret: 's3cret',
      alertmanagerUrls: ['http://am1:9093', 'http://am2:9093/'],
    });
    expect(config.programs.get('a')).toMatchObject({ webhookUrl: 'http://127.0.0.1:8080/hook', webhookSecret: 'per-program' });
    expect(config.programs.get('b')?.webhookUrl).toBeUndefined();
  });

  it('takes the main file from USRSVC_CONFIG, and an explicit path over both', () => {
    home = makeConfigHome();
    home.files({
      'other/a.cfg': `[Main]\n${programSection('from-env')}`,
      'other/b.cfg': `[Main]\n${programSection('from-path')}`,
    });
    const env = { HOME: home.dir, USRSVC_CONFIG: home.path('other/a.cfg') };
    expect([...home.read({ env }).programs.keys()]).toEqual(['from-env']);
    expect([...home.read({ env, path: home.path('other/b.cfg') }).programs.keys()]).toEqual(['from-path']);
  });

  it('keeps ";" in commands and drops a trailing "&" with a warning', () => {
    home = makeConfigHome();
    home.files({
      'cfg/shell.cfg': programSection('shell', 'useshell = 1').replace(
        /command = .*/,
        'command = cd /srv && ./run --port 80; echo done &',
      ),
    });
    const config = home.read();
    const program = config.programs.get('shell')!;
    expect(program.command).toBe('cd /srv && ./run --port 80; echo done');
    expect(program.proctitleReSource).toBe('\\./run --port 80; echo done$');
    expect(config.warnings).toEqual([
      expect.objectContaining({ file: home.path('cfg/shell.cfg'), line: 2, key: 'command', message: expect.stringContaining('"&"') }),
    ]);
  });

  it('translates a user-written Python proctitle_re and keeps its source', () => {
    home = makeConfigHome();
    home.files({
      'cfg/re.cfg': programSection('re', 'proctitle_re = "\\Aworker: (?P<queue>\\w+) (?P=queue)\\Z"'),
    });
    const program = home.read().programs.get('re')!;
    expect(program.proctitleReSource).toBe('\\Aworker: (?P<queue>\\w+) (?P=queue)\\Z');
    expect(program.proctitleRe.test('worker: mail mail')).toBe(true);
    expect(program.proctitleRe.test('worker: mail sms')).toBe(false);
  });

  it('accepts an explicit stderr file and booleans in any case', () => {
    home = makeConfigHome();
    home.files({
      'cfg/a.cfg': programSection('a', 'stderr = @HOME@/logs/a.err\nenabled = FALSE\nautopid = 0\nscan_for_process = false\ninherit_env = True'),
    });
    expect(home.read().programs.get('a')).toMatchObject({
      stderr: home.path('logs/a.err'),
      enabled: false,
      autoPid: false,
      scanForProcess: false,
      inheritEnv: true,
    });
  });

  it('reads stop_signal with or without SIG in any case, and stop_as_group, from a program or its DefaultSettings', () => {
    home = makeConfigHome();
    home.files({
      'cfg/a.cfg': `[DefaultSettings:graceful]\nstop_signal = quit\nstop_as_group = True\n${programSection('a', 'defaults = graceful')}\n${programSection('b', 'defaults = graceful\nstop_signal = SIGINT\nstop_as_group = 0')}\n${programSection('c', 'stop_signal = usr2')}`,
    });
    const { programs } = home.read();
    expect(programs.get('a')).toMatchObject({ stopSignal: 'SIGQUIT', stopAsGroup: true });
    expect(programs.get('b')).toMatchObject({ stopSignal: 'SIGINT', stopAsGroup: false });
    expect(programs.get('c')).toMatchObject({ stopSignal: 'SIGUSR2', stopAsGroup: false });
  });

  it('warns about unknown sections, [Main] outside the main file and keys outside sections', () => {
    home = makeConfigHome();
    home.files({ 'cfg/x.cfg': 'stray = 1\n[Programm:x]\ncommand = /bin/x\n[Main]\n[Settings]\n' });
    const { warnings } = home.read();
    expect(warnings).toEqual([
      expect.objectContaining({ line: 1, key: 'stray', message: expect.stringContaining('outside any section') }),
      expect.objectContaining({ line: 2, section: 'Programm:x', hint: 'did you mean [Program:x]?' }),
      expect.objectContaining({ line: 4, section: 'Main', message: expect.stringContaining('only read from the main') }),
      expect.objectContaining({ line: 5, section: 'Settings', message: 'ignored: unknown section' }),
    ]);
  });

  it('does not read the main file twice when config_dir holds it', () => {
    home = makeConfigHome();
    home.files({ 'usrsvc.cfg': `[Main]\nconfig_dir = @HOME@/\n${programSection('once')}` });
    expect(home.read().files).toEqual([home.path('usrsvc.cfg')]);
  });
});

describe('readConfig: monitoring keys of plugins', () => {
  const httpKeys = {
    http_url: { type: 'string' as const },
    http_timeout: { type: 'number' as const, default: 5 },
  };

  it('validates plugin keys given in monitoringKeys and applies their defaults', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': `${programSection('a')}\n[[Monitoring]]\nhttp_url = http://127.0.0.1:8080/health\n` });
    expect(home.read({ monitoringKeys: httpKeys }).programs.get('a')!.monitoring).toEqual({
      monitor_after: 30,
      activityfile_limit: 120,
      rss_limit: 0,
      http_url: 'http://127.0.0.1:8080/health',
      http_timeout: 5,
    });
    home.files({ 'cfg/a.cfg': `${programSection('a')}\n[[Monitoring]]\nhttp_timeout = soon\n` });
    expect(home.readErrors({ monitoringKeys: httpKeys }).errors[0]).toMatchObject({ line: 7, key: 'http_timeout' });
  });

  it('keeps unknown keys as raw strings when monitor_plugins is set and monitoringKeys is not given', () => {
    home = makeConfigHome('monitor_plugins = @usrsvc/monitor-http\n');
    home.files({ 'cfg/a.cfg': `${programSection('a')}\n[[Monitoring]]\nhttp_timeout = 5\n` });
    expect(home.read().programs.get('a')!.monitoring['http_timeout']).toBe('5');
  });

  it('refuses unknown monitoring keys otherwise, with a hint', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': `${programSection('a')}\n[[Monitoring]]\nrss_limt = 5\n` });
    const [error] = home.readErrors().errors;
    expect(error).toMatchObject({ line: 7, key: 'rss_limt', hint: 'did you mean rss_limit?' });
  });
});

/** One failing fixture per kind of error: the error names the file, the line and the key. */
describe('readConfig: each error names file, line and key', () => {
  const cases: {
    name: string;
    file: string;
    line: number | undefined;
    key?: string;
    message: string;
    hint?: string;
    main?: string;
  }[] = [
    {
      name: "the seed README's DefaultSettings example (max_restarts)",
      file: `[DefaultSettings:mydefaults]

			success_seconds = 5

			restart_delay = 3

			max_restarts = 3

			email_alerts = nobody@example.com
`,
      line: 7,
      key: 'max_restarts',
      message: 'unknown key',
      hint: 'did you mean maxrestarts?',
    },
    { name: 'an unknown Program key', file: programSection('a', 'sucess_seconds = 3'), line: 5, key: 'sucess_seconds', message: 'unknown key', hint: 'did you mean success_seconds?' },
    { name: 'a missing command', file: programSection('a').replace(/command = .*/, ''), line: 1, key: 'command', message: 'missing required key' },
    { name: 'a missing pidfile', file: programSection('a').replace(/pidfile = .*/, ''), line: 1, key: 'pidfile', message: 'missing required key' },
    { name: 'a missing stdout', file: programSection('a').replace(/stdout = .*/, ''), line: 1, key: 'stdout', message: 'missing required key' },
    { name: 'an empty command', file: programSection('a').replace(/command = .*/, 'command ='), line: 2, key: 'command', message: 'must not be empty' },
    { name: 'a relative pidfile', file: programSection('a').replace(/pidfile = .*/, 'pidfile = pids/a.pid'), line: 3, key: 'pidfile', message: 'is not an absolute path' },
    { name: 'a relative stderr', file: programSection('a', 'stderr = a.err'), line: 5, key: 'stderr', message: 'must be "stdout" or an absolute path' },
    { name: 'a bad integer', file: programSection('a', 'maxrestarts = three'), line: 5, key: 'maxrestarts', message: 'invalid value "three"', hint: 'expected a whole number of 0 or more, like 3' },
    { name: 'a bad number', file: programSection('a', 'success_seconds = -1'), line: 5, key: 'success_seconds', message: 'invalid value "-1"' },
    { name: 'an unknown stop_signal', file: programSection('a', 'stop_signal = STOP'), line: 5, key: 'stop_signal', message: 'must be TERM, INT, QUIT, HUP, USR1, USR2 or KILL, with or without "SIG"' },
    { name: 'a bad stop_as_group', file: programSection('a', 'stop_as_group = tree'), line: 5, key: 'stop_as_group', message: 'invalid value "tree"' },
    { name: 'a bad boolean', file: programSection('a', 'autostart = yes'), line: 5, key: 'autostart', message: 'invalid value "yes"', hint: 'expected True, False, 1 or 0 (any case)' },
    { name: 'an unknown defaults name', file: `[DefaultSettings:webdefaults]\n${programSection('a', 'defaults = webdefault')}`, line: 6, key: 'defaults', message: 'no [DefaultSettings:webdefault] section', hint: 'did you mean webdefaults?' },
    { name: 'an uncompilable proctitle_re', file: programSection('a', 'proctitle_re = (unclosed'), line: 5, key: 'proctitle_re', message: 'not a valid regular expression' },
    { name: 'an untranslatable proctitle_re', file: programSection('a', 'proctitle_re = a(?i)b'), line: 5, key: 'proctitle_re', message: 'inline flags must be at the very start' },
    { name: 'a stdout folder that does not exist', file: programSection('a').replace(/stdout = .*/, 'stdout = @HOME@/nowhere/a.log'), line: 4, key: 'stdout', message: 'the folder' },
    { name: 'an unclosed quote in command', file: programSection('a').replace(/command = .*/, 'command = /bin/a "unclosed'), line: 2, key: 'command', message: 'cannot split the command' },
    { name: 'an unknown subsection', file: `${programSection('a')}\n[[Envs]]\nA = 1`, line: 6, section: undefined, message: 'unknown subsection [[Envs]]', hint: 'did you mean Env?' } as never,
    { name: 'Env written as a key', file: programSection('a', 'Env = A=1'), line: 5, key: 'Env', message: 'must be a subsection' },
    { name: 'an unknown Monitoring key value', file: `${programSection('a')}\n[[Monitor]]\nrss_limit = lots`, line: 7, key: 'rss_limit', message: 'invalid value "lots"' },
    { name: 'a relative activityfile', file: `${programSection('a')}\n[[Monitoring]]\nactivityfile = beat`, line: 7, key: 'activityfile', message: 'not an absolute path' },
    { name: 'a syntax error', file: `${programSection('a')}\njust words`, line: 6, message: 'expected key = value' },
    { name: 'a duplicate key', file: programSection('a', 'autostart = 1\nautostart = 0'), line: 6, key: 'autostart', message: 'duplicate key (first set on line 5)' },
    { name: 'a relative config_dir', main: 'relative', file: '', line: 2, key: 'config_dir', message: 'not an absolute path' },
    { name: 'an unknown Main key', main: 'pid_file = /x', file: '', line: 4, key: 'pid_file', message: 'unknown key', hint: 'did you mean pidfile?' },
    { name: 'a bad sendmail_path', main: 'sendmail_path = sendmail', file: '', line: 4, key: 'sendmail_path', message: 'must be "auto" or an absolute path' },
    { name: 'a web_listen without a port', main: 'web_listen = 127.0.0.1', file: '', line: 4, key: 'web_listen', message: 'must be HOST:PORT' },
    { name: 'a relative web_tls_cert', main: 'web_tls_cert = web.pem', file: '', line: 4, key: 'web_tls_cert', message: 'is not an absolute path' },
    { name: 'a bad smtp_url', main: 'smtp_url = mail.example.com', file: '', line: 4, key: 'smtp_url', message: 'smtp://' },
    { name: 'a bad log_max_bytes', file: programSection('a', 'log_max_bytes = 50 megs'), line: 5, key: 'log_max_bytes', message: 'invalid value "50 megs"', hint: 'expected a size in bytes, optionally with a unit: 1048576, 512KB, 50MB, 1GB' },
    { name: 'an unknown reopen_signal', file: programSection('a', 'reopen_signal = HUPP'), line: 5, key: 'reopen_signal', message: 'must be a signal name such as HUP or USR1' },
    { name: 'a bad usrsvcd_log_format', main: 'usrsvcd_log_format = xml', file: '', line: 4, key: 'usrsvcd_log_format', message: 'must be "text" or "json"' },
    { name: 'a metrics_textfile not ending in .prom', main: 'metrics_textfile = /var/lib/node-exporter/usrsvc.txt', file: '', line: 4, key: 'metrics_textfile', message: 'must end in .prom' },
    { name: 'a relative metrics_textfile', main: 'metrics_textfile = usrsvc.prom', file: '', line: 4, key: 'metrics_textfile', message: 'not an absolute path' },
    { name: 'a webhook_url that is not http', main: 'webhook_url = hooks.example.com/x', file: '', line: 4, key: 'webhook_url', message: 'is not an http:// or https:// URL' },
    { name: 'one bad alertmanager_url of two', main: 'alertmanager_url = http://am1:9093, am2:9093', file: '', line: 4, key: 'alertmanager_url', message: '"am2:9093" is not an http:// or https:// URL' },
    { name: 'a program webhook_url that is not a URL', file: programSection('a', 'webhook_url = ftp://x/y'), line: 5, key: 'webhook_url', message: 'is not an http:// or https:// URL' },
    { name: 'a zero monitor_interval', main: 'monitor_interval = 0', file: '', line: 4, key: 'monitor_interval', message: 'must be greater than 0' },
  ];

  it.each(cases)('$name', ({ file, line, key, message, hint, main }) => {
    home = makeConfigHome(main && main !== 'relative' ? `${main}\n` : '');
    if (main === 'relative') home.files({ 'usrsvc.cfg': '[Main]\nconfig_dir = cfg\n' });
    const expectedFile = main ? home.path('usrsvc.cfg') : home.path('cfg/bad.cfg');
    if (!main) home.files({ 'cfg/bad.cfg': file });
    const errors = home.readErrors();
    expect(errors).toBeInstanceOf(ConfigErrors);
    expect(errors.errors).toHaveLength(1);
    const [error] = errors.errors;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'USRSVC_CONFIG', file: expectedFile, line });
    if (key) expect(error!.key).toBe(key);
    expect(error!.detail).toContain(message.replaceAll('@HOME@', home.dir));
    if (hint) expect(error!.hint).toBe(hint);
    expect(error!.message).toContain(`${expectedFile}:${line}:`);
    expect(errors.message).toContain(error!.message);
  });

  it('a duplicate Program across files names both places', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': programSection('web'), 'cfg/b.cfg': `\n\n${programSection('web')}` });
    const [error] = home.readErrors().errors;
    expect(error).toMatchObject({ file: home.path('cfg/b.cfg'), line: 3, section: 'Program:web' });
    expect(error!.detail).toContain(`first defined in ${home.path('cfg/a.cfg')}:1`);
  });

  it('a duplicate DefaultSettings across files', () => {
    home = makeConfigHome();
    home.files({ 'cfg/a.cfg': '[DefaultSettings:d]\n', 'cfg/b.cfg': '[DefaultSettings:d]\n' });
    expect(home.readErrors().errors[0]).toMatchObject({ file: home.path('cfg/b.cfg'), line: 1, section: 'DefaultSettings:d' });
  });

  it.each([
    ['[Program:]\n', 1, '[Program:] has no name'],
    ['[DefaultSettings:]\n', 1, '[DefaultSettings:] has no name'],
    [`${programSection('a')}\n[[Monitor]]\nrss_limit = 1\n[[Monitoring]]\nmonitor_after = 1\n`, 8, 'repeats [[Monitor]]'],
    [`${programSection('a')}\n${programSection('a')}`, 6, 'duplicate [Program:a]'],
  ])('a structural mistake: %j', (text, line, message) => {
    home = makeConfigHome();
    home.files({ 'cfg/bad.cfg': text });
    const [error] = home.readErrors().errors;
    expect(error).toMatchObject({ file: home.path('cfg/bad.cfg'), line });
    expect(error!.detail).toContain(message);
  });

  it('a subsection in [Main]', () => {
    home = makeConfigHome('[[Env]]\nA = 1\n');
    expect(home.readErrors().errors[0]).toMatchObject({ file: home.path('usrsvc.cfg'), line: 4, detail: expect.stringContaining('[Main] has no subsections') });
  });

  it('a missing config_dir says so', () => {
    home = makeConfigHome();
    fs.rmSync(home.path('cfg'), { recursive: true });
    const [error] = home.readErrors().errors;
    expect(error).toMatchObject({ file: home.path('usrsvc.cfg'), line: 2, key: 'config_dir' });
    expect(error!.detail).toBe(`config_dir ${home.path('cfg')} does not exist`);
  });

  it('an unreadable config_dir says so', () => {
    home = makeConfigHome();
    fs.chmodSync(home.path('cfg'), 0o000);
    try {
      const detail = process.getuid?.() === 0 ? firstErrorDetailAsNobody(home) : home.readErrors().errors[0]!.detail;
      expect(detail).toContain('cannot be read (permission denied)');
    } finally {
      fs.chmodSync(home.path('cfg'), 0o700);
    }
  });

  it('a missing main file, and a main file without [Main]', () => {
    home = makeConfigHome();
    fs.rmSync(home.path('usrsvc.cfg'));
    expect(home.readErrors().errors[0]).toMatchObject({ file: home.path('usrsvc.cfg'), detail: 'the file does not exist' });
    home.files({ 'usrsvc.cfg': '[Program:x]\n' });
    expect(home.readErrors().errors[0]).toMatchObject({ detail: 'missing the [Main] section' });
  });

  it('reports several errors of one read together, once each, in reading order', () => {
    home = makeConfigHome();
    home.files({
      'cfg/defaults.cfg': '[DefaultSettings:d]\nmax_restarts = 3\n',
      'cfg/a.cfg': programSection('a', 'defaults = d\nautostart = maybe'),
      'cfg/b.cfg': programSection('b', 'defaults = d').replace(/pidfile = .*/, 'pidfile = b.pid'),
    });
    const { errors, message } = home.readErrors();
    expect(errors.map((e) => [e.file.slice(home.dir.length), e.line, e.key])).toEqual([
      ['/cfg/a.cfg', 6, 'autostart'],
      ['/cfg/b.cfg', 3, 'pidfile'],
      ['/cfg/defaults.cfg', 2, 'max_restarts'],
    ]);
    expect(message).toMatch(/^Invalid configuration \(3 errors\):/);
  });
});
