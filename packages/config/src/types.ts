import type { ConfigInput } from './configInputs.js';
import type { KeySpec } from './KeySpec.js';
import type { ResourceLimits } from './resourceLimits.js';
import type { ReadyCheck, StatusRange } from './readyCheck.js';
import type { StopSignal } from './stopSignal.js';

export interface ReadConfigOptions {
  /** Main config file; default $USRSVC_CONFIG, then $HOME/usrsvc.cfg. */
  path?: string;
  /** Environment used for HOME and USRSVC_CONFIG; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Extra [[Monitoring]] keys declared by monitor plugins. */
  monitoringKeys?: Record<string, KeySpec>;
  /** Filled with what the result was made from (see configInputsUnchanged). */
  inputs?: ConfigInput[];
}

export interface ConfigWarning {
  file: string;
  line: number;
  section: string;
  key?: string;
  message: string;
  hint?: string;
}

export interface MainConfig {
  file: string;
  configDir?: string;
  /** usrsvcd's pidfile; the original's default is $HOME/<uid>_usrsvcd.pid. */
  pidfile: string;
  usrsvcdStdout?: string;
  /** Absolute path; "stdout" is resolved to usrsvcdStdout. */
  usrsvcdStderr?: string;
  /** "auto" or an absolute path. */
  sendmailPath: string;
  smtpUrl?: string;
  emailFrom?: string;
  alertInterval: number;
  monitorPlugins: string[];
  monitorInterval: number;
  monitorTimeout: number;
  /** new: where usrsvc-web listens ("HOST:PORT"). */
  webListen?: string;
  /** new: usrsvc-web's TLS certificate and key (absolute paths). */
  webTlsCert?: string;
  webTlsKey?: string;
  /** Bytes; 0 = usrsvcd never rotates its own log files. */
  usrsvcdMaxBytes: number;
  usrsvcdBackups: number;
  usrsvcdLogFormat: 'text' | 'json';
  /** New: absolute path ending in .prom, kept up to date for node_exporter's textfile collector. */
  metricsTextfile?: string;
  /** New: where every program's alerts are POSTed unless the program sets its own. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** New: Alertmanager base URLs (http://host:9093); [] when unset. */
  alertmanagerUrls: string[];
}

/**
 * Parsed [[Monitoring]] settings, keyed by config key name, defaults applied. The one deliberate
 * exception to camelCase typed fields: plugins declare arbitrary keys (monitoringKeys) and read them
 * by the names written in the file, so built-in keys keep those names too (monitor_after).
 */
export interface MonitoringSettings {
  monitor_after: number;
  activityfile?: string;
  activityfile_limit: number;
  rss_limit: number;
  [pluginKey: string]: unknown;
}

/** Typed fields are camelCase; the config file keys they come from keep their names (maxrestarts). */
export interface ProgramConfig {
  name: string;
  /** Where [Program:NAME] was declared. */
  file: string;
  line: number;
  /** Trailing "&" already dropped (with a warning). */
  command: string;
  /** shlex (posix) split of command; [] when useShell. */
  argv: string[];
  useShell: boolean;
  pidfile: string;
  enabled: boolean;
  autoPid: boolean;
  scanForProcess: boolean;
  /** Translated to JavaScript; match with search semantics (RegExp#test) against argv joined by spaces. */
  proctitleRe: RegExp;
  /** As written, or the derived default; Python dialect. */
  proctitleReSource: string;
  autoStart: boolean;
  /** True also with autorestart=unexpected (the program is restarted, on some exits). */
  autoRestart: boolean;
  /** New (autorestart=unexpected): restart only after an exit code not in exitCodes, or a signal usrsvc did not send. */
  restartOnlyUnexpected: boolean;
  /** New (exit_codes; default [0]): the expected exit codes. */
  exitCodes: number[];
  /** 0 = unlimited. */
  maxRestarts: number;
  restartDelay: number;
  /** New; 0 = no backoff. */
  restartDelayMax: number;
  successSeconds: number;
  /** Seconds between stopSignal and SIGKILL. */
  termToKillSeconds: number;
  /** New: the first signal of a stop (stop_signal; default SIGTERM). */
  stopSignal: StopSignal;
  /**
   * New (stop_as_group): a stop signals the program's process group (when usrsvc created it or the
   * main process leads it) and every descendant of the main process, not only the main process.
   */
  stopAsGroup: boolean;
  stdout: string;
  /** Equals stdout when "stdout" or unset. */
  stderr: string;
  defaults?: string;
  inheritEnv: boolean;
  env: Record<string, string>;
  emailAlerts: string[];
  /** New: this program's webhook (else [Main]'s); its secret, else [Main]'s. */
  webhookUrl?: string;
  webhookSecret?: string;
  monitoring: MonitoringSettings;
  /** Bytes; 0 = never rotate stdout/stderr. */
  logMaxBytes: number;
  logBackups: number;
  logCompress: boolean;
  /** Makes the program reopen files it opened itself; unset when it has none. */
  reopenSignal?: NodeJS.Signals;
  /** New: what `usrsvc reload` sends to the main process; unset: the program cannot be reloaded. */
  reloadSignal?: NodeJS.Signals;
  /** New: the working directory; unset: the account's HOME. */
  directory?: string;
  /** New: dotenv files read at every start, in order (later ones win; env wins over them). */
  envFiles: string[];
  /** New: umask (a number, e.g. 0o022); unset: inherited. */
  umask?: number;
  /** New: nice value; unset: inherited. */
  nice?: number;
  /** New: limit_* settings; a resource left out gets what usrsvc was started with. */
  limits: ResourceLimits;
  /** New (restart_on_change): absolute files or folders (recursive) whose changes restart the program; [] = none. */
  restartOnChange: string[];
  /** New (restart_on_change_ignore): globs of changes that do not count (default DEFAULT_CHANGE_IGNORE). */
  restartOnChangeIgnore: string[];
  /** New: what makes a start "ready" (ready_check); unset = alive for success_seconds is enough. */
  readyCheck?: ReadyCheck;
  /** Statuses an http(s) readyCheck accepts (default 200-399). */
  readyCheckStatus: StatusRange[];
  /** Seconds between two ready checks, one check's limit, and the whole wait's limit. */
  readyCheckInterval: number;
  readyCheckTimeout: number;
  readyTimeout: number;
  /** New: with notify, seconds without WATCHDOG=1 before usrsvcd restarts the program; 0 = off. */
  watchdogSeconds: number;
  /** New: programs that must run (and be ready) before this one starts. */
  dependsOn: string[];
  /** Where depends_on was written (for the graph's errors). */
  dependsOnAt?: { file: string; line: number };
  /**
   * New (instances = N): this is instance `instance` of [Program:instanceOf], one of `instances`;
   * `name` is then instanceOf@instance. Unset for a program without the key.
   */
  instanceOf?: string;
  instance?: number;
  instances?: number;
}

/** A [DefaultSettings:NAME] section as written: raw strings, validated but not resolved. */
export interface DefaultSettingsConfig {
  name: string;
  file: string;
  line: number;
  settings: Record<string, string>;
  env: Record<string, string>;
  monitoring: Record<string, string>;
}

export interface UsrsvcConfig {
  main: MainConfig;
  /** In the order they were read. */
  programs: Map<string, ProgramConfig>;
  defaults: Map<string, DefaultSettingsConfig>;
  /** Every file read, main first. */
  files: string[];
  warnings: ConfigWarning[];
}
