import type { KeySpec } from '@usrsvc/config';

export type SourceKind = 'supervisord' | 'pm2' | 'procfile' | 'process-compose';
export const SOURCE_KINDS: readonly SourceKind[] = ['supervisord', 'pm2', 'procfile', 'process-compose'];

/** Where a source setting was written: "supervisord.conf:12" and its key ("stopwaitsecs"). */
export interface SourceRef {
  file: string;
  line?: number;
  key: string;
}

/** One usrsvc setting a mapping table proposes; kept only if the installed usrsvc knows the key and accepts the value. */
export interface ProposedSetting {
  where: 'program' | 'env' | 'monitoring';
  key: string;
  value: string;
  from: SourceRef;
  note?: string;
}

/** A source setting that maps to nothing, and why. */
export interface UnmappedSetting {
  from: SourceRef;
  why: string;
}

/** What a mapping table made of one source program, before the key check. */
export interface DraftProgram {
  name: string;
  from: SourceRef;
  settings: ProposedSetting[];
  unmapped: UnmappedSetting[];
  /** Notes on settings that did map ("each instance must bind its own port"). */
  notes: Array<{ from: SourceRef; note: string }>;
}

export type ReportOutcome = { mapped: string } | { notMapped: string };

export interface ReportLine {
  program: string;
  from: SourceRef;
  outcome: ReportOutcome;
  note?: string;
}

export interface ImportedProgram {
  name: string;
  /** The .cfg file's text: one [Program:NAME] section. */
  text: string;
  /** Folders the file's pidfile and logs need (made-up ones under the account's usrsvc folders). */
  folders: string[];
}

export interface ImportResult {
  programs: ImportedProgram[];
  report: ReportLine[];
  /** True when every source setting became a usrsvc setting. */
  complete: boolean;
}

/** The keys the installed @usrsvc/config knows: a proposed key outside them is "not mapped: usrsvc has no KEY yet". */
export interface TargetKeys {
  program: Record<string, KeySpec>;
  monitoring: Record<string, KeySpec>;
}

export interface ImportOptions {
  /** The environment used for %(ENV_X)s and HOME; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Folder of made-up pidfiles; default $HOME/usrsvc.d/pids. */
  pidsDir?: string;
  /** Folder of made-up log files; default $HOME/usrsvc.d/logs. */
  logsDir?: string;
  /** supervisord: turn priority into depends_on (each priority level depends on the one before). */
  priorityAsOrder?: boolean;
  /** pm2: `--env production` merges env_production over env. */
  pm2Env?: string;
  /** Procfile: $PORT of the first program; the next get +100 each (as foreman). Default 5000. */
  portBase?: number;
  /** Number of CPUs, for pm2's instances: "max". Default os.availableParallelism(). */
  cpus?: number;
  /** Default: @usrsvc/config's programKeys and builtinMonitoringKeys. */
  targetKeys?: TargetKeys;
  /** Tells whether a folder exists (source log folders); default fs. */
  folderExists?: (folder: string) => boolean;
}
