import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { join as shlexJoin, split as shlexSplit } from 'shlex';
import { DraftBuilder } from '../DraftBuilder.js';
import { seconds } from '../convert.js';
import type { DraftProgram, ImportOptions, SourceRef } from '../types.js';
import { loadPm2Ecosystem } from './loadPm2Ecosystem.js';

const INTERPRETERS: Record<string, string> = { '.js': 'node', '.cjs': 'node', '.mjs': 'node', '.ts': 'ts-node', '.py': 'python3', '.sh': 'bash', '.rb': 'ruby', '.php': 'php', '.pl': 'perl' };

const UNMAPPED: Record<string, string> = {
  cron_restart: 'usrsvc has no scheduled restarts: add a crontab line that runs "usrsvc restart NAME"',
  log_date_format: 'usrsvc does not rewrite program output (no timestamps added)',
  time: 'usrsvc does not rewrite program output (no timestamps added)',
  merge_logs: 'usrsvc writes each instance where its stdout/stderr say',
  combine_logs: 'usrsvc writes each instance where its stdout/stderr say',
  log_file: 'usrsvc has no third, combined log file: stdout and stderr may name the same file',
  listen_timeout: 'a readiness wait: usrsvc has ready_check for that (set one by hand)',
  wait_ready: 'process.send("ready") needs pm2 as the parent; usrsvc has ready_check (tcp, http, notify)',
  shutdown_with_message: 'usrsvc is not the parent: it stops programs with signals only',
  kill_retry_time: 'usrsvc sends SIGKILL once after term_to_kill_seconds',
  increment_var: 'each instance gets USRSVC_INSTANCE instead',
  instance_var: 'each instance gets USRSVC_INSTANCE instead',
  exp_backoff_restart_delay: 'set restart_delay and restart_delay_max by hand',
  vizion: 'pm2 metadata: nothing to run',
  automation: 'pm2 metadata: nothing to run',
  source_map_support: 'a Node option: add --enable-source-maps to node_args by hand',
  treekill: 'usrsvc stops the main process, or its whole tree with stop_as_group',
  force: 'pm2 metadata: nothing to run',
  namespace: 'usrsvc has no namespaces',
  filter_env: 'use inherit_env = False and [[Env]] instead',
  uid: 'usrsvc runs programs as the account that runs it',
  gid: 'usrsvc runs programs as the account that runs it',
};

/** Drafts of every app in pm2 ecosystem files. */
export async function importPm2(files: readonly string[], options: ImportOptions): Promise<DraftProgram[]> {
  const drafts: DraftProgram[] = [];
  for (const file of files) {
    const absolute = path.resolve(file);
    for (const [index, app] of (await loadPm2Ecosystem(absolute)).entries()) drafts.push(appDraft(app, index, absolute, options));
  }
  return drafts;
}

function appDraft(app: Record<string, unknown>, index: number, file: string, options: ImportOptions): DraftProgram {
  const ref = (key: string): SourceRef => ({ file, key: `apps[${index}].${key}` });
  const script = typeof app.script === 'string' ? app.script : undefined;
  const name = typeof app.name === 'string' ? app.name : script ? path.basename(script, path.extname(script)) : `app${index}`;
  const draft = new DraftBuilder(name, ref('name'));
  const baseDir = path.dirname(file);
  const cwd = typeof app.cwd === 'string' ? path.resolve(baseDir, app.cwd) : undefined;
  const handled = new Set(['name', 'script', 'args', 'interpreter', 'interpreter_args', 'node_args', 'exec_interpreter']);

  if (script) {
    const scriptPath = path.resolve(cwd ?? baseDir, script);
    const isFile = fs.existsSync(scriptPath);
    const interpreterText = String(app.interpreter ?? app.exec_interpreter ?? (isFile ? (INTERPRETERS[path.extname(script)] ?? 'none') : 'none'));
    const words = [
      ...(interpreterText === 'none' ? [] : [interpreterText === 'node' ? 'node' : interpreterText, ...argsOf(app.interpreter_args ?? app.node_args)]),
      isFile ? scriptPath : script,
      ...argsOf(app.args),
    ];
    draft.set('command', shlexJoin(words), ref('script'));
    for (const key of ['args', 'interpreter', 'interpreter_args', 'node_args', 'exec_interpreter']) {
      if (app[key] !== undefined) draft.note(ref(key), 'part of command');
    }
  } else {
    draft.unmapped(ref('script'), 'the app has no script');
  }
  if (cwd) draft.set('directory', cwd, ref('cwd'));
  handled.add('cwd');

  const env = { ...(objectOf(app.env) ?? {}) };
  handled.add('env');
  for (const [key, value] of Object.entries(env)) draft.env(key, String(value), ref(`env.${key}`));
  for (const key of Object.keys(app).filter((key) => key.startsWith('env_'))) {
    handled.add(key);
    if (options.pm2Env && key === `env_${options.pm2Env}`) {
      for (const [envKey, value] of Object.entries(objectOf(app[key]) ?? {})) draft.env(envKey, String(value), ref(`${key}.${envKey}`));
    } else draft.unmapped(ref(key), `another environment: pass --env ${key.slice(4)} to use it`);
  }

  const cpus = options.cpus ?? os.availableParallelism();
  for (const [key, value] of Object.entries(app)) {
    if (handled.has(key) || value === undefined) continue;
    const from = ref(key);
    switch (key) {
      case 'instances': {
        const count = value === 'max' || Number(value) === 0 ? cpus : Number(value) < 0 ? Math.max(1, cpus + Number(value)) : Number(value);
        if (!Number.isInteger(count) || count < 1) draft.unmapped(from, `${JSON.stringify(value)} is not a number of instances`);
        else if (count > 1) draft.set('instances', String(count), from, value === 'max' ? `"max": ${cpus} CPUs here` : undefined);
        else draft.note(from, 'one process, as usrsvc runs by default');
        break;
      }
      case 'exec_mode':
        if (String(value).startsWith('cluster')) {
          draft.note(from, 'usrsvc runs separate processes, not a Node cluster: each instance must bind its own port (%(instance)d, USRSVC_INSTANCE) or use SO_REUSEPORT');
        } else draft.note(from, 'fork mode: one process per instance, as usrsvc runs them');
        break;
      case 'max_memory_restart': {
        const kb = memoryKb(value);
        if (kb === undefined) draft.unmapped(from, `${JSON.stringify(value)} is not a size`);
        else draft.monitoring('rss_limit', String(kb), from, 'kB; checked every monitor_interval after monitor_after');
        break;
      }
      case 'watch':
        if (value === true) draft.set('restart_on_change', cwd ?? baseDir, from);
        else if (Array.isArray(value) || typeof value === 'string') {
          draft.set('restart_on_change', [value].flat().map((item) => path.resolve(cwd ?? baseDir, String(item))).join(', '), from);
        } else if (value !== false) draft.unmapped(from, `${JSON.stringify(value)}: expected true, a path or a list of paths`);
        else draft.note(from, 'no watching, as usrsvc by default');
        break;
      case 'ignore_watch':
        draft.set(
          'restart_on_change_ignore',
          [value].flat().map((item) => ignoreGlob(String(item), cwd ?? baseDir)).join(', '),
          from,
          'replaces the default ignores (.git, node_modules, __pycache__, *.pyc, swap files)',
        );
        break;
      case 'watch_delay':
        draft.unmapped(from, 'usrsvc debounces changes by 1 s');
        break;
      case 'kill_timeout':
        draft.set('term_to_kill_seconds', seconds(Number(value) / 1000), from);
        break;
      case 'max_restarts':
        draft.set('maxrestarts', String(value), from);
        break;
      case 'min_uptime': {
        const secs = durationSeconds(value);
        if (secs === undefined) draft.unmapped(from, `${JSON.stringify(value)} is not a duration`);
        else draft.set('success_seconds', seconds(secs), from);
        break;
      }
      case 'restart_delay':
        draft.set('restart_delay', String(Math.ceil(Number(value) / 1000)), from, 'whole seconds');
        break;
      case 'autorestart':
        draft.set('autorestart', value === false || value === 'false' ? 'False' : 'True', from);
        break;
      case 'stop_exit_codes':
        draft.set('autorestart', 'unexpected', from);
        draft.set('exit_codes', [value].flat().map(String).join(', '), from);
        break;
      case 'autostart':
        draft.set('autostart', value === false ? 'False' : 'True', from);
        break;
      case 'out_file':
      case 'output':
        logFile(draft, value, 'stdout', from, cwd ?? baseDir, options);
        break;
      case 'error_file':
      case 'error':
        logFile(draft, value, 'stderr', from, cwd ?? baseDir, options);
        break;
      case 'pid_file':
        draft.set('pidfile', path.resolve(cwd ?? baseDir, String(value)), from);
        break;
      case 'kill_signal': {
        draft.set('stop_signal', String(value).replace(/^SIG/i, ''), from);
        break;
      }
      default:
        draft.unmapped(from, UNMAPPED[key] ?? 'a pm2 setting usrsvc does not know how to map');
    }
  }
  return draft.build();
}

function logFile(draft: DraftBuilder, value: unknown, key: 'stdout' | 'stderr', from: SourceRef, dir: string, options: ImportOptions) {
  const text = String(value);
  if (text === '/dev/null' || text === 'NULL') {
    draft.set(key, '/dev/null', from);
    return;
  }
  const file = path.resolve(dir, text);
  if (options.folderExists && !options.folderExists(path.dirname(file))) {
    draft.unmapped(from, `the folder ${path.dirname(file)} does not exist (a log path under the account's usrsvc folder is used)`);
  } else draft.set(key, file, from);
}

/** pm2 (chokidar) matches ignore_watch against paths relative to cwd: a relative path with a "/" becomes absolute. */
function ignoreGlob(entry: string, dir: string): string {
  if (entry.startsWith('/') || entry.startsWith('**') || !entry.includes('/')) return entry;
  return path.resolve(dir, entry);
}

function argsOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return shlexSplit(String(value));
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** pm2's sizes: bytes as a number, or "200M", "1G", "512K" (units of 1024). */
function memoryKb(value: unknown): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(String(value).trim());
  if (!match) return undefined;
  const factor = { '': 1 / 1024, K: 1, M: 1024, G: 1024 * 1024 }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.max(1, Math.round(Number(match[1]) * factor));
}

/** pm2's durations: milliseconds as a number, or "10s", "5m", "1h", "500ms". */
function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value / 1000;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(String(value).trim());
  if (!match) return undefined;
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
}
