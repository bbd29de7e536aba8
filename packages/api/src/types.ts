/**
 * usrsvcd's local API, version 1: what it serves on its Unix socket. Times are ISO 8601 strings
 * (UTC), durations are milliseconds unless named otherwise. Adding an optional field is not a
 * breaking change; removing or retyping one needs /v2.
 */

export const API_VERSION = 1;

/** Who or what ended a run of the program. */
export type ExitCause =
  | { by: 'crash' }
  /** autorestart = unexpected: an exit code in exit_codes, or a signal usrsvc sent. */
  | { by: 'expected' }
  | { by: 'monitor'; monitor: string; reason: string }
  | { by: 'user' }
  | { by: 'start-failed'; code: number; outcome: string };

/** The last time the program stopped running, as usrsvcd saw it. */
export interface LastExit {
  at: string;
  /** Null when a start failed before a process could be recorded. */
  pid: number | null;
  /** Exit status when it could be read (from the zombie's /proc entry before it was reaped), else null. */
  exitCode: number | null;
  /** Terminating signal name ("SIGKILL") when it could be read, else null. */
  signal: string | null;
  /** How long the process had run, when known. */
  upMs: number | null;
  cause: ExitCause;
}

export type MonitorVerdictKind = 'ok' | 'restart' | 'error' | 'timeout';

export interface MonitorVerdict {
  monitor: string;
  verdict: MonitorVerdictKind;
  /** The restart reason or the error message; absent for ok. */
  detail?: string;
  checkedAt: string;
  durationMs: number;
}

/** One program's state in usrsvcd: exactly one of these at a time. */
export type ProgramState =
  | { state: 'running'; pid: number; since: string }
  /** pid: once the launcher has spawned it (it is then being verified for success_seconds). */
  | { state: 'starting'; attempt: number; since: string; pid?: number }
  /** A monitor restart: stopping the old process before starting again. */
  | { state: 'stopping'; reason: string; since: string }
  | { state: 'backoff'; attempt: number; nextAttemptAt: string; delayMs: number }
  | { state: 'gave-up'; afterRestarts: number; since: string }
  | { state: 'stopped-by-user'; since: string }
  /** Managed but not running and not to be started (autorestart=False after an exit, autostart=False). */
  | { state: 'not-running'; since: string; why: string }
  /** usrsvcd neither starts nor restarts it, but still reports it: `pid` while it runs (started by hand). */
  | { state: 'not-managed'; why: 'disabled' | 'no-autostart-no-autorestart'; pid?: number };

export type ProgramStateName = ProgramState['state'];

export const PROGRAM_STATE_NAMES: readonly ProgramStateName[] = [
  'running',
  'starting',
  'stopping',
  'backoff',
  'gave-up',
  'stopped-by-user',
  'not-running',
  'not-managed',
];

/** The running process of a program (never its environment). */
export interface ProcessView {
  pid: number;
  cmdline: string;
  argv: string[];
  /** The executable's path (readlink /proc/PID/exe), when known. */
  executable?: string;
  /** ISO 8601 start time of the process. */
  startTime: string;
  uptimeSeconds: number;
  rssKb: number;
  foundBy: 'pidfile' | 'scan' | 'launch';
}

/** A process of the program's tree that outlived its main process (see stop_as_group). */
export interface LeftoverProcess {
  pid: number;
  cmdline: string;
}

/** Restarts usrsvcd performed since it started, by why. */
export interface RestartCounts {
  crash: number;
  /** Restarts a monitor asked for (the watchdog's are counted apart). */
  monitor: number;
  /** No WATCHDOG=1 for watchdog_seconds (sd_notify's watchdog). */
  watchdog: number;
  manual: number;
  /** New: restarts by restart_on_change (a watched file changed). */
  change: number;
}

export interface ProgramView {
  name: string;
  enabled: boolean;
  autoStart: boolean;
  autoRestart: boolean;
  maxRestarts: number;
  state: ProgramState;
  /** True when a process of the program runs, managed or not (viewStatus: the one rule every surface uses). */
  running: boolean;
  /** Restarts usrsvcd performed or was asked for since it started: the sum of restartCounts (RESTARTS). */
  restarts: number;
  /** Start attempts since the program last ran for a sustained period (60 s): what maxrestarts counts. */
  startAttempts: number;
  restartCounts: RestartCounts;
  /** The running process, managed or not; null when none runs. */
  process: ProcessView | null;
  lastExit: LastExit | null;
  monitors: MonitorVerdict[];
  leftovers: LeftoverProcess[];
  /** The configured output files (what /logs reads). */
  stdout: string;
  stderr: string;
  /** New: ready_check and what is known of it (omitted by builders that know nothing of it). */
  readiness?: ReadinessView;
  /** New: the programs this one depends on (depends_on), in the order written. */
  dependsOn?: string[];
  /** New: how the program is launched: never an environment value, never an env file's contents. */
  settings?: ProgramSettingsView;
  /** New: which copy this is of a program with `instances = N` (name is then PROGRAM@INSTANCE); null for a program without instances. */
  instance?: InstanceView | null;
}

/** Instance `instance` (0-based) of [Program:program], one of `instances`. */
export interface InstanceView {
  program: string;
  instance: number;
  instances: number;
}

/** A program's launch settings as the API shows them. */
export interface ProgramSettingsView {
  /** The working directory (the account's HOME when `directory` is unset). */
  directory: string | null;
  /** Paths of the env files only. */
  envFiles: string[];
  /** limit_* as written: { nofile: "1024:4096" }. */
  limits: Record<string, string>;
  /** Octal, like "022"; null when inherited. */
  umask: string | null;
  nice: number | null;
  /** "always", "unexpected" or "never". */
  autoRestart: 'always' | 'unexpected' | 'never';
  exitCodes: number[];
  reloadSignal: string | null;
  /** restart_on_change as written (absolute paths); empty when off. */
  restartOnChange: string[];
  /** restart_on_change_ignore (the defaults when not set). */
  restartOnChangeIgnore: string[];
}

export interface ReadinessView {
  /** ready_check as written ("tcp://127.0.0.1:6379", "notify"); null when none is set. */
  check: string | null;
  /** Whether the running process passed its check (true with no check); null when not running. */
  ready: boolean | null;
  /** The last STATUS= the program sent by sd_notify, if any (text, shown escaped). */
  status: string | null;
  /** STOPPING=1 / RELOADING=1 from the program, as last reported. */
  stopping: boolean;
  reloading: boolean;
  /** Why usrsvcd holds its start: "waiting for db (backoff)"; null when nothing holds it. */
  waitingFor: string | null;
}

export interface ConfigProblem {
  file: string;
  line?: number;
  section?: string;
  key?: string;
  message: string;
}

export interface RereadOutcome {
  at: string;
  ok: boolean;
  /** Programs in the configuration now in force. */
  programs: number;
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

export interface DaemonView {
  pid: number;
  version: string;
  startedAt: string;
  user: string;
  host: string;
  exitWatch: { mode: 'pidfd' | 'poll'; reason?: string };
  configFiles: string[];
  socket: string;
  /** Null until the first reread (the configuration read at start is in configFiles). */
  lastReread: RereadOutcome | null;
}

export type ProgramAction = 'start' | 'stop' | 'restart';

/** One program's outcome of an action, as `usrsvc --json` prints it. */
export interface ActionResultView {
  name: string;
  action: ProgramAction | 'status' | 'reload' | 'signal';
  /** The CLI's exit code for this program (ReturnCodes). */
  code: number;
  codeName: string;
  outcome: string;
  message: string;
  pid: number | null;
  stderrTail: string[];
  leftovers: LeftoverProcess[];
}

export interface ActionResponse {
  /** The exit code the CLI would give for the whole action (worst of the results). */
  code: number;
  results: ActionResultView[];
}

/** Server-Sent Events of /v1/events; the SSE `event:` field is the `type`. */
export type DaemonEvent =
  | { type: 'program'; program: ProgramView }
  | { type: 'program-removed'; name: string }
  | { type: 'daemon'; daemon: DaemonView };

export interface EventEnvelope {
  /** Increasing across the daemon's life; send it back as Last-Event-ID to resume. */
  id: number;
  event: DaemonEvent;
}

export type LogStream = 'stdout' | 'stderr';

/** One line of a program's output, from /v1/programs/{name}/logs. */
export interface LogLine {
  program: string;
  stream: LogStream;
  line: string;
}

/** The error body of every non-2xx answer. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}
