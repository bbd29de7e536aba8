import os from 'node:os';
import path from 'node:path';
import { DraftBuilder } from '../DraftBuilder.js';
import { signalNameOf, supervisorBoolean } from '../convert.js';
import { expandPythonMapping, type PythonFormatValue } from '../formatPython.js';
import type { DraftProgram, ImportOptions, SourceRef } from '../types.js';
import { parseSupervisordEnvironment } from './parseSupervisordEnvironment.js';
import type { IniEntry, IniSection } from './parseSupervisordIni.js';
import { readSupervisordFiles } from './readSupervisordFiles.js';

const SERVER_SECTIONS = ['supervisord', 'supervisorctl', 'unix_http_server', 'inet_http_server', 'include'];

interface Context {
  options: ImportOptions;
  env: NodeJS.ProcessEnv;
  account: string;
}

/** Drafts of every [program:x] in a supervisord config (and its [include] files), with what could not be mapped. */
export function importSupervisord(files: readonly string[], options: ImportOptions): DraftProgram[] {
  const sections = files.flatMap((file) => readSupervisordFiles(file));
  const context: Context = { options, env: options.env ?? process.env, account: os.userInfo().username };
  const drafts: Array<{ draft: DraftBuilder; priority: number; priorityRef?: SourceRef }> = [];
  const groups = new Map<string, string>();
  for (const section of sections) {
    const group = /^group:(.+)$/.exec(section.name);
    for (const program of group ? (section.entries.get('programs')?.value.split(',') ?? []) : []) groups.set(program.trim(), group![1]!);
  }
  const skipped: Array<{ section: IniSection; why: string }> = [];
  for (const section of sections) {
    const [kind, name] = splitSectionName(section.name);
    if (kind === 'program' && name) {
      drafts.push(programDraft(section, name, groups.get(name), context));
    } else if (kind === 'group' || SERVER_SECTIONS.includes(kind) || kind.startsWith('rpcinterface')) {
      // groups become notes on their programs; server sections are usrsvcd's own business
      if (kind !== 'group' && kind !== 'include') skipped.push({ section, why: "supervisord's own settings: usrsvcd has its own in [Main]" });
    } else if (kind === 'eventlistener') {
      skipped.push({ section, why: 'usrsvc has no event listeners: alerts go by mail, webhook or Alertmanager' });
    } else if (kind === 'fcgi-program') {
      skipped.push({ section, why: 'usrsvc does not open sockets for its programs (no FastCGI socket passing)' });
    } else {
      skipped.push({ section, why: 'a section supervisord itself does not know' });
    }
  }
  if (options.priorityAsOrder) addPriorityOrder(drafts);
  const result = drafts.map(({ draft }) => draft.build());
  // A skipped section is no program: its report line stands alone (a draft without a name).
  for (const { section, why } of skipped) {
    const from = { file: section.file, line: section.line, key: `[${section.name}]` };
    result.push({ name: '', from, settings: [], unmapped: [{ from, why }], notes: [] });
  }
  return result;
}

function splitSectionName(name: string): [string, string | undefined] {
  const colon = name.indexOf(':');
  return colon === -1 ? [name, undefined] : [name.slice(0, colon), name.slice(colon + 1)];
}

function programDraft(section: IniSection, name: string, group: string | undefined, context: Context) {
  const draft = new DraftBuilder(name, { file: section.file, line: section.line, key: `[${section.name}]` });
  const ref = (entry: IniEntry): SourceRef => ({ file: section.file, line: entry.line, key: entry.key });
  const entries = section.entries;
  const numprocs = Number(entries.get('numprocs')?.value ?? '1');
  const processNumStart = Number(entries.get('numprocs_start')?.value ?? '0');
  const expansions = (key: string): PythonFormatValue | undefined => {
    if (key.startsWith('ENV_')) return context.env[key.slice(4)];
    if (key === 'program_name') return name;
    if (key === 'group_name') return group ?? name;
    if (key === 'host_node_name') return os.hostname();
    if (key === 'here') return path.dirname(section.file);
    if (key === 'numprocs') return numprocs;
    // Left for usrsvc to expand per instance (or as instance 0 when usrsvc has no instances yet).
    if (key === 'process_num') return (spec) => `%(instance)${spec}`;
    return undefined;
  };
  const value = (entry: IniEntry): string | undefined => {
    const expanded = expandPythonMapping(entry.value, expansions);
    if (expanded.ok) return expanded.text;
    draft.unmapped(ref(entry), `%(${expanded.missing})s has no value${expanded.missing.startsWith('ENV_') ? ` (${expanded.missing.slice(4)} is not set)` : ''}: supervisord would refuse it too`);
    return undefined;
  };
  const boolean = (entry: IniEntry, key: string) => {
    const text = value(entry);
    if (text === undefined) return;
    const bool = supervisorBoolean(text);
    if (bool === undefined) draft.unmapped(ref(entry), `${JSON.stringify(text)} is not a boolean`);
    else draft.set(key, bool, ref(entry));
  };
  const number = (entry: IniEntry, key: string, note?: string) => {
    const text = value(entry);
    if (text !== undefined) draft.set(key, text.trim(), ref(entry), note);
  };
  let stdoutSize: string | undefined;
  let stdoutBackups: string | undefined;

  for (const entry of entries.values()) {
    const from = ref(entry);
    switch (entry.key) {
      case 'command': {
        const text = value(entry);
        if (text === undefined) break;
        draft.set('command', text.replace(/\n/g, ' '), from);
        break;
      }
      case 'process_name':
        draft.note(from, numprocs <= 1 ? 'the program is named after its section' : 'instances are named NAME@0, NAME@1...');
        break;
      case 'numprocs':
        if (numprocs > 1) draft.set('instances', String(numprocs), from);
        else draft.note(from, 'one process, as usrsvc runs by default');
        break;
      case 'numprocs_start':
        if (processNumStart !== 0) draft.unmapped(from, 'usrsvc numbers instances from 0');
        else draft.note(from, 'usrsvc numbers instances from 0, as here');
        break;
      case 'priority':
        if (!context.options.priorityAsOrder) draft.unmapped(from, 'a start order: pass --priority-as-order to turn priorities into depends_on');
        break;
      case 'autostart':
        boolean(entry, 'autostart');
        break;
      case 'autorestart': {
        const text = value(entry)?.trim().toLowerCase();
        if (text === 'unexpected') draft.set('autorestart', 'unexpected', from);
        else if (text !== undefined) boolean(entry, 'autorestart');
        break;
      }
      case 'exitcodes':
        number(entry, 'exit_codes');
        break;
      case 'startsecs':
        number(entry, 'success_seconds');
        break;
      case 'startretries':
        number(entry, 'maxrestarts', 'supervisord counts failed starts, usrsvc counts every automatic restart');
        break;
      case 'stopsignal': {
        const text = value(entry);
        const signal = text === undefined ? undefined : signalNameOf(text);
        if (text !== undefined && signal === undefined) draft.unmapped(from, `${JSON.stringify(text)} is not a signal`);
        else if (signal) draft.set('stop_signal', signal, from);
        break;
      }
      case 'stopwaitsecs':
        number(entry, 'term_to_kill_seconds');
        break;
      case 'stopasgroup':
      case 'killasgroup': {
        const text = value(entry);
        const bool = text === undefined ? undefined : supervisorBoolean(text);
        // Either one means the whole tree; usrsvc's stop_as_group covers both the stop signal and SIGKILL.
        if (bool === 'True' || !draft.has('stop_as_group')) boolean(entry, 'stop_as_group');
        else draft.unmapped(from, 'stop_as_group is already True (from stopasgroup or killasgroup)');
        break;
      }
      case 'user': {
        const text = value(entry);
        if (text !== undefined && text.trim() !== context.account) {
          draft.unmapped(from, `usrsvc runs programs as the account that runs it (${context.account}), not as ${text.trim()}`);
        } else if (text !== undefined) draft.note(from, 'the account usrsvc runs as');
        break;
      }
      case 'directory':
        if (value(entry) !== undefined) draft.set('directory', value(entry)!, from);
        break;
      case 'umask':
        number(entry, 'umask');
        break;
      case 'environment': {
        const text = value(entry);
        if (text === undefined) break;
        const parsed = parseSupervisordEnvironment(text);
        if (!parsed.ok) draft.unmapped(from, parsed.error);
        else for (const [key, envValue] of parsed.pairs) draft.env(key, envValue, { ...from, key: `environment ${key}` });
        break;
      }
      case 'redirect_stderr': {
        const bool = supervisorBoolean(value(entry) ?? '');
        if (bool === 'True') draft.set('stderr', 'stdout', from);
        else if (bool === undefined) draft.unmapped(from, `${JSON.stringify(entry.value)} is not a boolean`);
        break;
      }
      case 'stdout_logfile':
      case 'stderr_logfile':
        logFile(entry, entry.key === 'stdout_logfile' ? 'stdout' : 'stderr');
        break;
      case 'stdout_logfile_maxbytes':
        stdoutSize = value(entry)?.trim();
        if (stdoutSize !== undefined) draft.set('log_max_bytes', stdoutSize.toUpperCase(), from);
        break;
      case 'stdout_logfile_backups':
        stdoutBackups = value(entry)?.trim();
        if (stdoutBackups !== undefined) draft.set('log_backups', stdoutBackups, from);
        break;
      case 'stderr_logfile_maxbytes':
      case 'stderr_logfile_backups': {
        const text = value(entry)?.trim();
        const same = entry.key.endsWith('maxbytes') ? stdoutSize : stdoutBackups;
        if (same === undefined) draft.set(entry.key.endsWith('maxbytes') ? 'log_max_bytes' : 'log_backups', (text ?? '').toUpperCase(), from);
        else if (same.toUpperCase() !== text?.toUpperCase()) draft.unmapped(from, `usrsvc has one setting for both files (the stdout one, ${same}, is kept)`);
        break;
      }
      case 'stdout_syslog':
      case 'stderr_syslog':
        draft.unmapped(from, 'usrsvc writes output to files only');
        break;
      case 'stdout_capture_maxbytes':
      case 'stderr_capture_maxbytes':
      case 'stdout_events_enabled':
      case 'stderr_events_enabled':
        draft.unmapped(from, 'usrsvc has no process communication events');
        break;
      case 'serverurl':
        draft.unmapped(from, 'programs reach usrsvcd through its API socket, not a supervisord URL');
        break;
      default:
        draft.unmapped(from, 'a setting usrsvc does not know how to map');
    }
  }
  if (group !== undefined) {
    draft.note(draft.build().from, `member of supervisord group ${group}: usrsvc has no groups; start and stop it by name or with "all"`);
  }
  return { draft, priority: Number(entries.get('priority')?.value ?? '999'), priorityRef: entries.get('priority') ? ref(entries.get('priority')!) : undefined };

  function logFile(entry: IniEntry, key: 'stdout' | 'stderr') {
    const from = ref(entry);
    const text = value(entry)?.trim();
    if (text === undefined) return;
    if (text.toUpperCase() === 'AUTO') return; // made up later under the account's folders
    if (text.toUpperCase() === 'NONE') {
      draft.set(key, '/dev/null', from);
      return;
    }
    const file = path.resolve(path.dirname(section.file), text);
    const folderExists = context.options.folderExists;
    if (folderExists && !folderExists(path.dirname(file))) {
      draft.unmapped(from, `the folder ${path.dirname(file)} does not exist (a log path under the account's usrsvc folder is used)`);
      return;
    }
    if (key === 'stderr' && draft.build().settings.some((setting) => setting.key === 'stderr')) {
      draft.unmapped(from, 'redirect_stderr already sends stderr to stdout');
      return;
    }
    draft.set(key, file, from);
  }
}

/** --priority-as-order: each program depends on every program of the next lower priority level. */
function addPriorityOrder(drafts: Array<{ draft: DraftBuilder; priority: number; priorityRef?: SourceRef }>): void {
  const levels = [...new Set(drafts.map((item) => item.priority))].sort((a, b) => a - b);
  for (const item of drafts) {
    const level = levels.indexOf(item.priority);
    const from = item.priorityRef ?? { ...item.draft.build().from, key: 'priority (default 999)' };
    if (level === 0) {
      if (item.priorityRef) item.draft.note(from, 'the lowest priority: started first, depends on nothing');
      continue;
    }
    const before = drafts.filter((other) => other.priority === levels[level - 1]).map((other) => other.draft.name);
    item.draft.set('depends_on', before.join(', '), from);
  }
}
