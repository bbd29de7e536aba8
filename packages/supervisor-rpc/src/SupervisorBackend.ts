import type { ActionResultView, ProgramView } from '@usrsvc/api';
import type { XmlRpcValue } from './xmlRpcValue.js';

/** What reloadConfig reports: program names, as supervisord's [[added, changed, removed]]. */
export type ConfigChanges = { added: string[]; changed: string[]; removed: string[] } | { error: string };

/**
 * What the XML-RPC methods read and ask of usrsvc: the same functions the API, the CLI and the
 * page use (the one state owned by usrsvcd, the launcher's actions). The methods adapt shapes;
 * they never start, stop or judge a program themselves.
 */
export interface SupervisorBackend {
  /** The manager: pid and version (getPID, getSupervisorVersion). */
  daemon(): { pid: number; version: string; identification: string };
  /** Every program in force. */
  programs(): ProgramView[];
  program(name: string): ProgramView | undefined;
  /** A start or stop through the launcher, as `usrsvc start|stop NAME` does it. */
  act(name: string, action: 'start' | 'stop'): Promise<ActionResultView>;
  /** Sends a signal to the program's main process, re-checked by pid and start time. */
  signal(name: string, signal: NodeJS.Signals): Promise<'sent' | 'not-running' | 'not-permitted'>;
  /** usrsvcd's own log file (readLog, /mainlogtail); undefined when it logs to a terminal or journal. */
  mainLogFile(): string | undefined;
  /** Reads and checks the configuration files now; applies nothing (supervisorctl reread). */
  reloadConfig(): Promise<ConfigChanges>;
  /** Puts the program as last read into force (supervisorctl update / add). */
  addProgram(name: string): Promise<'added' | 'already-added' | 'no-such-program'>;
  /** Takes a stopped program out of force (supervisorctl update / remove). */
  removeProgram(name: string): Promise<'removed' | 'still-running' | 'no-such-program'>;
  /** getAllConfigInfo's structs, one per program of the configuration as last read. */
  configInfo(): Array<{ [key: string]: XmlRpcValue }>;
  /** Ends the manager after the answer is sent (usrsvcd only; the programs keep running). */
  shutdown(): void;
  /** Restarts the manager after the answer is sent (usrsvcd only; the programs keep running). */
  restart(): void;
}
