import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { DraftBuilder } from '../DraftBuilder.js';
import { needsShell, seconds, signalNameOf } from '../convert.js';
import { ImportParseError } from '../ImportParseError.js';
import type { DraftProgram, ImportOptions, SourceRef } from '../types.js';

type Yaml = Record<string, unknown>;

/** Drafts of every process in process-compose files. */
export function importProcessCompose(files: readonly string[], _options: ImportOptions): DraftProgram[] {
  const drafts: DraftProgram[] = [];
  for (const file of files) {
    const absolute = path.resolve(file);
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new ImportParseError(absolute, undefined, `cannot read the file: ${(error as Error).message}`);
    }
    const document = parseDocument(text);
    const error = document.errors[0];
    if (error) throw new ImportParseError(absolute, error.linePos?.[0]?.line, `invalid YAML: ${error.message.split('\n')[0]}`);
    const lineOf = (keys: string[]) => {
      const node = document.getIn(keys, true) as { range?: [number, number, number] } | undefined;
      const at = node?.range?.[0];
      return at === undefined ? undefined : text.slice(0, at).split('\n').length;
    };
    const root = document.toJS() as Yaml | null;
    const processes = root?.processes;
    if (!processes || typeof processes !== 'object') throw new ImportParseError(absolute, undefined, 'expected a "processes:" map');
    const globalEnv = envPairs(root?.environment);
    for (const [name, spec] of Object.entries(processes as Yaml)) {
      const ref = (...keys: string[]): SourceRef => ({ file: absolute, line: lineOf(['processes', name, ...keys]), key: keys.join('.') || name });
      const draft = new DraftBuilder(name, ref());
      for (const [key, value] of globalEnv) draft.env(key, value, { file: absolute, line: lineOf(['environment']), key: `environment ${key}` });
      mapProcess(draft, (spec ?? {}) as Yaml, ref, path.dirname(absolute));
      drafts.push(draft.build());
    }
  }
  return drafts;
}

function mapProcess(draft: DraftBuilder, spec: Yaml, ref: (...keys: string[]) => SourceRef, dir: string): void {
  for (const [key, value] of Object.entries(spec)) {
    const from = ref(key);
    switch (key) {
      case 'command': {
        const command = String(value);
        draft.set('command', command, from);
        if (needsShell(command)) draft.set('useshell', 'True', from, 'process-compose runs commands through a shell');
        break;
      }
      case 'working_dir':
        draft.set('directory', path.resolve(dir, String(value)), from);
        break;
      case 'environment':
        for (const [envKey, envValue] of envPairs(value)) draft.env(envKey, envValue, { ...from, key: `environment ${envKey}` });
        break;
      case 'env_file':
        draft.set('env_file', [value].flat().map((item) => path.resolve(dir, String(item))).join(', '), from);
        break;
      case 'disabled':
        if (value === true) draft.set('autostart', 'False', from, 'imported, not started by usrsvcd until "usrsvc start"');
        else draft.note(from, 'started, as usrsvc does by default');
        break;
      case 'replicas':
        if (Number(value) > 1) draft.set('instances', String(value), from);
        else draft.note(from, 'one process, as usrsvc runs by default');
        break;
      case 'log_location':
        draft.set('stdout', path.resolve(dir, String(value)), from);
        draft.set('stderr', 'stdout', from);
        break;
      case 'availability':
        mapAvailability(draft, (value ?? {}) as Yaml, ref);
        break;
      case 'depends_on':
        mapDependsOn(draft, (value ?? {}) as Yaml, ref);
        break;
      case 'readiness_probe':
        mapReadiness(draft, (value ?? {}) as Yaml, ref);
        break;
      case 'shutdown': {
        const shutdown = (value ?? {}) as Yaml;
        for (const [shutdownKey, shutdownValue] of Object.entries(shutdown)) {
          const at = ref('shutdown', shutdownKey);
          if (shutdownKey === 'signal') {
            const signal = signalNameOf(shutdownValue as string | number);
            if (signal) draft.set('stop_signal', signal, at);
            else draft.unmapped(at, `${JSON.stringify(shutdownValue)} is not a signal`);
          } else if (shutdownKey === 'timeout_seconds') draft.set('term_to_kill_seconds', seconds(Number(shutdownValue)), at);
          else if (shutdownKey === 'command') draft.unmapped(at, 'usrsvc stops programs with signals, not a command');
          else draft.unmapped(at, 'a setting usrsvc does not know how to map');
        }
        break;
      }
      case 'liveness_probe':
        draft.unmapped(from, 'use a [[Monitoring]] monitor (the HTTP monitor plugin, or activityfile) instead');
        break;
      case 'is_daemon':
        draft.unmapped(from, 'a program that forks away: set autopid = False and its own pidfile by hand');
        break;
      case 'description':
        draft.note(from, 'a comment');
        break;
      default:
        draft.unmapped(from, 'a process-compose setting usrsvc does not know how to map');
    }
  }
}

function mapAvailability(draft: DraftBuilder, availability: Yaml, ref: (...keys: string[]) => SourceRef): void {
  for (const [key, value] of Object.entries(availability)) {
    const from = ref('availability', key);
    if (key === 'restart') {
      // YAML 1.2 reads `restart: no` as the string "no"; YAML 1.1 readers would give false.
      const restart = value === false ? 'no' : String(value);
      if (restart === 'always') draft.set('autorestart', 'True', from);
      else if (restart === 'no') draft.set('autorestart', 'False', from);
      else if (restart === 'on_failure') {
        draft.set('autorestart', 'unexpected', from);
        draft.set('exit_codes', '0', from);
      } else if (restart === 'exit_on_failure') draft.unmapped(from, 'usrsvcd never stops itself or other programs when one fails');
      else draft.unmapped(from, `${JSON.stringify(value)} is not a process-compose restart policy`);
    } else if (key === 'backoff_seconds') draft.set('restart_delay', String(Math.ceil(Number(value))), from);
    else if (key === 'max_restarts') draft.set('maxrestarts', String(value), from);
    else draft.unmapped(from, 'a setting usrsvc does not know how to map');
  }
}

function mapDependsOn(draft: DraftBuilder, dependsOn: Yaml, ref: (...keys: string[]) => SourceRef): void {
  const names: string[] = [];
  for (const [name, spec] of Object.entries(dependsOn)) {
    const condition = String((spec as Yaml | null)?.condition ?? 'process_started');
    const from = ref('depends_on', name);
    if (condition === 'process_completed' || condition === 'process_completed_successfully') {
      draft.unmapped(from, `${condition}: usrsvc dependencies wait for a running (and ready) program, not a finished one`);
      continue;
    }
    names.push(name);
  }
  if (names.length > 0) {
    draft.set('depends_on', names.join(', '), ref('depends_on'), 'waits until each is started, or ready when it has a ready_check (process_healthy)');
  }
}

function mapReadiness(draft: DraftBuilder, probe: Yaml, ref: (...keys: string[]) => SourceRef): void {
  for (const [key, value] of Object.entries(probe)) {
    const from = ref('readiness_probe', key);
    if (key === 'exec') {
      draft.set('ready_check', `exec:${String((value as Yaml | null)?.command ?? '')}`, from);
    } else if (key === 'http_get') {
      const get = (value ?? {}) as Yaml;
      const scheme = String(get.scheme ?? 'http').toLowerCase();
      const pathPart = String(get.path ?? '/');
      draft.set('ready_check', `${scheme}://${String(get.host ?? '127.0.0.1')}:${String(get.port ?? 80)}${pathPart.startsWith('/') ? pathPart : `/${pathPart}`}`, from);
    } else if (key === 'period_seconds') draft.set('ready_check_interval', seconds(Number(value)), from);
    else if (key === 'timeout_seconds') draft.set('ready_check_timeout', seconds(Number(value)), from);
    else if (key === 'initial_delay_seconds' || key === 'failure_threshold' || key === 'success_threshold') {
      draft.unmapped(from, 'usrsvc checks from the start until ready_timeout (default 60 s)');
    } else draft.unmapped(from, 'a probe setting usrsvc does not know how to map');
  }
}

/** ["A=1", "B=2"] or { A: 1 }: the pairs. */
function envPairs(value: unknown): Array<[string, string]> {
  if (Array.isArray(value)) {
    return value.map((item) => {
      const text = String(item);
      const equals = text.indexOf('=');
      return equals === -1 ? [text, ''] : [text.slice(0, equals), text.slice(equals + 1)];
    });
  }
  if (value && typeof value === 'object') return Object.entries(value).map(([key, item]) => [key, String(item)]);
  return [];
}
