import os from 'node:os';
import type { KeySpec } from './KeySpec.js';
import { DEFAULT_CHANGE_IGNORE, globProblem } from './changeGlob.js';
import { parseHostPort } from './parseHostPort.js';
import { parseAutoRestart, parseExitCode, parseNice, parseUmask } from './processSettings.js';
import { parseResourceLimit, RESOURCE_LIMIT_KEYS, type ResourceLimitKey } from './resourceLimits.js';
import { parseReadyCheck, parseStatusRanges, READY_CHECK_FORMS } from './readyCheck.js';
import { MAX_INSTANCES } from './instances.js';
import { describeStopSignals, parseStopSignal } from './stopSignal.js';

/** An http:// or https:// URL with a host (a webhook, Alertmanager). */
export function httpUrlProblem(text: string): string | undefined {
  try {
    const url = new URL(text);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return undefined;
  } catch {
    // falls through to the message
  }
  return `${JSON.stringify(text)} is not an http:// or https:// URL`;
}

const httpUrl = (value: unknown) => httpUrlProblem(String(value));
const httpUrls = (value: unknown) => (value as string[]).map(httpUrlProblem).find((problem) => problem !== undefined);

/** A list of absolute paths (env_file, restart_on_change). */
const absolutePaths = (value: unknown) => {
  const relative = (value as string[]).find((file) => !file.startsWith('/'));
  return relative === undefined ? undefined : `${JSON.stringify(relative)} is not an absolute path`;
};

const absoluteOrStdout = (value: unknown) =>
  value === 'stdout' || String(value).startsWith('/') ? undefined : 'must be "stdout" or an absolute path';

/** [Program:NAME] and [DefaultSettings:NAME] keys. Required ones have no default and are checked by validateProgram. */
export const programKeys: Record<string, KeySpec> = {
  command: { type: 'string', description: 'command and arguments; shell syntax when useshell' },
  useshell: { type: 'boolean', default: false, description: 'run command through /bin/sh' },
  pidfile: { type: 'path', description: 'the program pidfile (required)' },
  enabled: { type: 'boolean', default: true, description: 'managed by usrsvcd' },
  autopid: { type: 'boolean', default: true, description: 'usrsvc writes the pidfile' },
  scan_for_process: { type: 'boolean', default: true, description: 'find the process by proctitle_re' },
  proctitle_re: { type: 'string', description: 'Python regex searched in the process argv' },
  autostart: { type: 'boolean', default: true, description: 'started when usrsvcd starts' },
  autorestart: {
    type: 'string',
    default: 'True',
    validate: (value) =>
      parseAutoRestart(String(value)) === undefined ? 'must be True, False (or 1, 0, any case) or "unexpected"' : undefined,
    description: 'restarted by usrsvcd when it stops; "unexpected": only after an exit not in exit_codes',
  },
  exit_codes: {
    type: 'list',
    default: ['0'],
    validate: (value) => {
      const bad = (value as string[]).find((code) => parseExitCode(code) === undefined);
      return bad === undefined ? undefined : `${JSON.stringify(bad)} is not an exit code (0 to 255)`;
    },
    description: 'new: the exit codes that autorestart=unexpected takes as expected (comma-separated)',
  },
  maxrestarts: { type: 'integer', default: 0, description: 'automatic restarts allowed; 0 = unlimited' },
  restart_delay: { type: 'integer', default: 0, description: 'seconds between a failed start and the next' },
  restart_delay_max: { type: 'number', default: 0, description: 'new: upper bound of the backoff; 0 = none' },
  success_seconds: { type: 'number', default: 2, description: 'seconds a start must survive' },
  term_to_kill_seconds: { type: 'number', default: 8, description: 'seconds between the stop signal and SIGKILL' },
  stop_signal: {
    type: 'string',
    default: 'TERM',
    validate: (value) =>
      parseStopSignal(String(value)) ? undefined : `must be ${describeStopSignals()}, with or without "SIG"`,
    description: 'new: the first signal of a stop',
  },
  stop_as_group: {
    type: 'boolean',
    default: false,
    description: "new: stop the program's process group and every descendant, not only its main process",
  },
  stdout: { type: 'path', description: 'stdout file (required); its folder must exist' },
  stderr: { type: 'string', validate: absoluteOrStdout, description: 'stderr file or "stdout"' },
  defaults: { type: 'string', description: 'name of a [DefaultSettings:NAME]' },
  inherit_env: { type: 'boolean', default: true, description: "pass usrsvc's environment on" },
  email_alerts: { type: 'list', default: [], description: 'comma-separated addresses to alert' },
  log_max_bytes: { type: 'size', default: 0, description: 'new: usrsvcd rotates stdout/stderr past this size (50MB, 1GB); 0 = never' },
  log_backups: { type: 'integer', default: 5, description: 'new: rotated files kept: FILE.1 (newest) to FILE.N' },
  log_compress: { type: 'boolean', default: false, description: 'new: gzip rotated files (FILE.1.gz...)' },
  reopen_signal: {
    type: 'string',
    validate: (value) => (signalName(String(value)) ? undefined : 'must be a signal name such as HUP or USR1'),
    description: 'new: signal that makes the program reopen its own log files (HUP, USR1...)',
  },
  reload_signal: {
    type: 'string',
    validate: (value) => (signalName(String(value)) ? undefined : 'must be a signal name such as HUP or USR2'),
    description: 'new: the signal "usrsvc reload" sends to the main process (HUP...)',
  },
  directory: { type: 'path', description: "new: the program's working directory; default the account's HOME" },
  env_file: {
    type: 'list',
    validate: absolutePaths,
    description: 'new: dotenv files read at every start (comma-separated; later files win, [[Env]] wins over them)',
  },
  umask: {
    type: 'string',
    validate: (value) => (parseUmask(String(value)) === undefined ? 'must be octal, 000 to 777, like 022' : undefined),
    description: "new: the program's umask (octal)",
  },
  nice: {
    type: 'string',
    validate: (value) => (parseNice(String(value)) === undefined ? 'must be a whole number from -20 to 19' : undefined),
    description: "new: the program's nice value (-20 to 19)",
  },
  ...limitKeys(),
  ready_check: {
    type: 'string',
    validate: (value) => problemOf(() => parseReadyCheck(String(value)), READY_CHECK_FORMS),
    description: `new: a start ends once this passes: ${READY_CHECK_FORMS}`,
  },
  ready_check_status: {
    type: 'string',
    validate: (value) => problemOf(() => parseStatusRanges(String(value)), 'statuses and ranges like 200-299,401'),
    description: 'new: HTTP statuses an http(s) ready_check accepts; default 200-399',
  },
  ready_check_interval: { type: 'number', default: 1, validate: aboveZero, description: 'new: seconds between ready checks' },
  ready_check_timeout: { type: 'number', default: 5, validate: aboveZero, description: 'new: seconds one ready check may take' },
  ready_timeout: { type: 'number', default: 60, validate: aboveZero, description: 'new: seconds a start may wait for ready_check (then 139)' },
  watchdog_seconds: {
    type: 'number',
    default: 0,
    validate: nonNegative,
    description: 'new: with ready_check = notify, restart when no WATCHDOG=1 arrives for this long; 0 = off',
  },
  depends_on: {
    type: 'list',
    default: [],
    description: 'new: programs started (and ready) before this one; NAME is every instance of NAME, NAME@k one',
  },
  instances: {
    type: 'integer',
    default: 1,
    validate: (value) =>
      (value as number) >= 1 && (value as number) <= MAX_INSTANCES ? undefined : `must be from 1 to ${MAX_INSTANCES}`,
    description: 'new: run N copies, NAME@0 .. NAME@N-1; %(instance)d (or %(process_num)d) in command, pidfile, stdout, stderr, proctitle_re, directory and [[Env]] is the number',
  },
  shared_stdout: {
    type: 'boolean',
    default: false,
    description: 'new: with instances, every instance appends to the same stdout/stderr on purpose',
  },
  restart_on_change: {
    type: 'list',
    default: [],
    validate: absolutePaths,
    description: 'new: files or folders (recursive, comma-separated) whose changes make usrsvcd restart the program',
  },
  restart_on_change_ignore: {
    type: 'list',
    default: [...DEFAULT_CHANGE_IGNORE],
    validate: (value) => (value as string[]).map(globProblem).find((problem) => problem !== undefined),
    description: `new: globs of changes that do not restart it; default ${DEFAULT_CHANGE_IGNORE.join(', ')}`,
  },
  webhook_url: { type: 'string', validate: httpUrl, description: "new: POST each alert as JSON here (overrides [Main]'s)" },
  webhook_secret: { type: 'string', description: 'new: sign webhook bodies with HMAC-SHA256 and this secret' },
};

function limitKeys(): Record<ResourceLimitKey, KeySpec> {
  const keys = {} as Record<ResourceLimitKey, KeySpec>;
  for (const [key, resource] of Object.entries(RESOURCE_LIMIT_KEYS) as [ResourceLimitKey, (typeof RESOURCE_LIMIT_KEYS)[ResourceLimitKey]][]) {
    keys[key] = {
      type: 'string',
      validate: (value) => {
        const limit = parseResourceLimit(resource, String(value));
        return typeof limit === 'string' ? `${limit}; expected SOFT[:HARD] or infinity` : undefined;
      },
      description: `new: RLIMIT_${resource.toUpperCase()} of the program, SOFT[:HARD] or infinity; default: what usrsvc was started with`,
    };
  }
  return keys;
}

function problemOf(parse: () => unknown, expected: string): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    return `${(error as Error).message}; expected ${expected}`;
  }
}

function aboveZero(value: unknown): string | undefined {
  return (value as number) > 0 ? undefined : 'must be greater than 0';
}

function nonNegative(value: unknown): string | undefined {
  return (value as number) >= 0 ? undefined : 'must not be negative';
}

/** "HUP", "sighup", "SIGUSR1": the signal's SIG-prefixed name, or undefined when there is no such signal. */
export function signalName(text: string): NodeJS.Signals | undefined {
  const upper = text.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return name in os.constants.signals ? (name as NodeJS.Signals) : undefined;
}

export const requiredProgramKeys = ['command', 'pidfile', 'stdout'] as const;

/** The original's [[Monitoring]] keys. Plugins add theirs through ReadConfigOptions.monitoringKeys. */
export const builtinMonitoringKeys: Record<string, KeySpec> = {
  monitor_after: { type: 'integer', default: 30, description: 'seconds running before monitoring starts' },
  activityfile: { type: 'path', description: 'file or folder that must be modified regularly' },
  activityfile_limit: { type: 'integer', default: 120, description: 'seconds allowed between modifications' },
  rss_limit: { type: 'integer', default: 0, description: 'resident memory limit in kB; 0 = off' },
};

const positive = (value: unknown) => ((value as number) > 0 ? undefined : 'must be greater than 0');

export const mainKeys: Record<string, KeySpec> = {
  config_dir: { type: 'path', description: 'folder whose *.cfg files are read' },
  pidfile: { type: 'path', description: "usrsvcd's pidfile" },
  usrsvcd_stdout: { type: 'path', description: "usrsvcd's log file" },
  usrsvcd_stderr: { type: 'string', validate: absoluteOrStdout, description: 'usrsvcd stderr or "stdout"' },
  sendmail_path: {
    type: 'string',
    default: 'auto',
    validate: (value) =>
      value === 'auto' || String(value).startsWith('/') ? undefined : 'must be "auto" or an absolute path',
    description: 'sendmail program for email alerts',
  },
  smtp_url: {
    type: 'string',
    validate: (value) =>
      /^smtps?:\/\/[^/]/.test(String(value)) ? undefined : 'must be an smtp:// or smtps:// URL',
    description: 'new: send alerts through this SMTP server instead of sendmail',
  },
  email_from: { type: 'string', description: 'new: From address of alerts' },
  alert_interval: { type: 'number', default: 300, description: 'new: seconds between alert emails per program' },
  monitor_plugins: { type: 'list', default: [], description: 'new: monitor plugin packages or absolute paths' },
  monitor_interval: {
    type: 'number',
    default: 5,
    validate: positive,
    description: 'new: seconds between monitor passes',
  },
  usrsvcd_max_bytes: { type: 'size', default: 0, description: "new: usrsvcd rotates its own log files past this size; 0 = never" },
  usrsvcd_backups: { type: 'integer', default: 5, description: "new: usrsvcd's rotated log files kept" },
  usrsvcd_log_format: {
    type: 'string',
    default: 'text',
    validate: (value) => (value === 'text' || value === 'json' ? undefined : 'must be "text" or "json"'),
    description: "new: usrsvcd's log lines: the original's text, or one JSON object per line",
  },
  monitor_timeout: {
    type: 'number',
    default: 3,
    validate: positive,
    description: 'new: seconds one monitor check may take',
  },
  web_listen: {
    type: 'string',
    validate: (value) => (parseHostPort(String(value)) ? undefined : 'must be HOST:PORT (e.g. 127.0.0.1:9715 or [::1]:9715)'),
    description: 'new: where usrsvc-web listens; default 127.0.0.1:9715',
  },
  web_tls_cert: { type: 'path', description: "new: usrsvc-web's TLS certificate (PEM); needed to listen beyond loopback" },
  web_tls_key: { type: 'path', description: "new: usrsvc-web's TLS private key (PEM)" },
  metrics_textfile: {
    type: 'path',
    validate: (value) =>
      /\/[^/]+\.prom$/.test(String(value)) ? undefined : 'must end in .prom (node_exporter reads *.prom only), like /var/lib/prometheus/node-exporter/usrsvc-web.prom',
    description: 'new: keep Prometheus metrics in this file for node_exporter',
  },
  webhook_url: { type: 'string', validate: httpUrl, description: 'new: POST every alert of every program as JSON here' },
  webhook_secret: { type: 'string', description: 'new: sign webhook bodies with HMAC-SHA256 and this secret' },
  alertmanager_url: {
    type: 'list',
    default: [],
    validate: httpUrls,
    description: 'new: Alertmanager base URLs (comma-separated; every one gets each alert)',
  },
};
