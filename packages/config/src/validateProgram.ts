import path from 'node:path';
import { folderExists } from './configInputs.js';
import { splitCommand } from './splitCommand.js';
import type { ConfigProblems } from './ConfigProblems.js';
import { defaultProctitleRe } from './defaultProctitleRe.js';
import { didYouMeanHint } from './didYouMean.js';
import { programKeys, requiredProgramKeys, signalName } from './keySpecs.js';
import type { ConfigEntry, ConfigSection } from './parseConfigobj.js';
import { type MonitoringKeyRules, parseMonitoring } from './parseMonitoring.js';
import { parseSettings, withDefaults } from './parseSettings.js';
import { parseAutoRestart, parseExitCode, parseNice, parseUmask } from './processSettings.js';
import { parseResourceLimit, RESOURCE_LIMIT_KEYS, type ResourceLimit, type ResourceLimits } from './resourceLimits.js';
import { readinessSettings } from './readinessSettings.js';
import { parseStopSignal } from './stopSignal.js';
import { readSubsections, reportSubsectionWrittenAsKey } from './subsections.js';
import { translatePythonRegex } from './translatePythonRegex.js';
import { expandInstanceFields, hasInstanceField, INSTANCE_ENV, INSTANCE_EXPANDED_KEYS, instanceName } from './instances.js';
import type { ProgramConfig } from './types.js';

export interface ProgramContext {
  problems: ConfigProblems;
  /** [DefaultSettings:NAME] sections by NAME. */
  defaultSettings: Map<string, ConfigSection>;
  monitoringRules: MonitoringKeyRules;
  /** Caches folder checks: a thousand programs often log into one folder. */
  folderExists(folder: string): boolean;
}

/**
 * Resolves one [Program:NAME] over its DefaultSettings; undefined when it has errors (already
 * reported). `instance` is the number that %(instance)d stands for (0 unless validateInstances
 * asks for another); with `instances` written, the result is that instance, named NAME@k.
 */
export function validateProgram(name: string, section: ConfigSection, context: ProgramContext, instance = 0): ProgramConfig | undefined {
  const { problems } = context;
  const errorsBefore = problems.errors.length;
  const where = { file: section.file, line: section.line, section: section.name };

  const own = readSubsections(section, problems);
  const defaultsEntry = section.entries.get('defaults');
  let inherited: ConfigSection | undefined;
  if (defaultsEntry && defaultsEntry.value !== '') {
    inherited = context.defaultSettings.get(defaultsEntry.value);
    if (!inherited) {
      const known = [...context.defaultSettings.keys()];
      problems.entryError(
        defaultsEntry,
        `no [DefaultSettings:${defaultsEntry.value}] section exists in the files read`,
        didYouMeanHint(defaultsEntry.value, known) ??
          (known.length ? `defined: ${known.join(', ')}` : 'no DefaultSettings sections are defined'),
      );
    }
  }
  const base = inherited ? readSubsections(inherited, problems) : { env: [], monitoring: [] };
  const inheritedEntries = inherited ? [...inherited.entries.values()].filter((e) => e.key !== 'defaults') : [];
  const written = mergeByKey(inheritedEntries, [...section.entries.values()]);
  const entries = withInstance(new Map(written), instance);

  const values = withDefaults(
    programKeys,
    parseSettings(entries.values(), programKeys, problems, {
      onUnknownKey: (entry) => reportSubsectionWrittenAsKey(entry, problems),
    }),
  );

  for (const key of requiredProgramKeys) {
    if (values[key] !== undefined) continue;
    const entry = entries.get(key);
    if (entry && entry.value === '') problems.entryError(entry, 'must not be empty', programKeys[key]!.description);
    else if (!entry) problems.error('missing required key', { ...where, key, hint: `add "${key} = ..."` });
  }

  const command = values['command'] === undefined ? undefined : dropTrailingAmpersand(entries.get('command')!, problems);
  const useShell = values['useshell'] as boolean;
  let words: string[] | undefined;
  if (command !== undefined) {
    try {
      words = splitCommand(command);
    } catch (error) {
      problems.entryError(entries.get('command')!, `cannot split the command: ${(error as Error).message}`, 'check its quotes');
    }
  }
  const argv = useShell ? [] : (words ?? []);
  const proctitle =
    command === undefined || words === undefined ? undefined : proctitleRe(command, useShell, words, entries, problems);

  const stdout = values['stdout'] as string | undefined;
  if (stdout !== undefined) checkFolder(entries.get('stdout')!, stdout, context);
  const stderrValue = values['stderr'] as string | undefined;
  if (stderrValue !== undefined && stderrValue !== 'stdout') checkFolder(entries.get('stderr')!, stderrValue, context);

  const env: Record<string, string> = {};
  for (const entry of mergeByKey(base.env, own.env).values()) env[entry.key] = expandInstanceFields(entry.value, instance);
  const monitoring = parseMonitoring(
    [...mergeByKey(base.monitoring, own.monitoring).values()],
    context.monitoringRules,
    problems,
  );

  const autoRestart = parseAutoRestart(values['autorestart'] as string);
  const readiness = readinessSettings(values, entries, problems);
  const instances = entries.has('instances') ? (values['instances'] as number) : undefined;
  if (instances !== undefined && instances > 1) checkVariesWithInstance(written, values, problems);

  if (problems.errors.length > errorsBefore || command === undefined || !proctitle || stdout === undefined) {
    return undefined;
  }
  const program: ProgramConfig = {
    name,
    file: section.file,
    line: section.line,
    command,
    argv,
    useShell,
    pidfile: values['pidfile'] as string,
    enabled: values['enabled'] as boolean,
    autoPid: values['autopid'] as boolean,
    scanForProcess: values['scan_for_process'] as boolean,
    proctitleRe: proctitle.regex,
    proctitleReSource: proctitle.source,
    autoStart: values['autostart'] as boolean,
    autoRestart: autoRestart !== false,
    restartOnlyUnexpected: autoRestart === 'unexpected',
    exitCodes: (values['exit_codes'] as string[]).map((code) => parseExitCode(code)!),
    maxRestarts: values['maxrestarts'] as number,
    restartDelay: values['restart_delay'] as number,
    restartDelayMax: values['restart_delay_max'] as number,
    successSeconds: values['success_seconds'] as number,
    termToKillSeconds: values['term_to_kill_seconds'] as number,
    stopSignal: parseStopSignal(values['stop_signal'] as string) ?? 'SIGTERM',
    stopAsGroup: values['stop_as_group'] as boolean,
    stdout,
    stderr: stderrValue === undefined || stderrValue === 'stdout' ? stdout : stderrValue,
    inheritEnv: values['inherit_env'] as boolean,
    env,
    emailAlerts: values['email_alerts'] as string[],
    monitoring,
    logMaxBytes: values['log_max_bytes'] as number,
    logBackups: values['log_backups'] as number,
    logCompress: values['log_compress'] as boolean,
    envFiles: (values['env_file'] as string[] | undefined) ?? [],
    limits: resourceLimits(values),
    restartOnChange: (values['restart_on_change'] as string[]).map((entry) => path.normalize(entry).replace(/(.)\/$/, '$1')),
    restartOnChangeIgnore: values['restart_on_change_ignore'] as string[],
    ...readiness,
  };
  if (instances !== undefined) {
    Object.assign(program, { name: instanceName(name, instance), instanceOf: name, instance, instances });
    program.env = { ...program.env, [INSTANCE_ENV]: String(instance) };
  }
  if (values['directory']) program.directory = values['directory'] as string;
  if (values['umask']) program.umask = parseUmask(values['umask'] as string)!;
  if (values['nice']) program.nice = parseNice(values['nice'] as string)!;
  if (values['reload_signal']) program.reloadSignal = signalName(values['reload_signal'] as string)!;
  if (values['reopen_signal']) program.reopenSignal = signalName(values['reopen_signal'] as string)!;
  if (defaultsEntry && defaultsEntry.value !== '') program.defaults = defaultsEntry.value;
  if (values['webhook_url']) program.webhookUrl = values['webhook_url'] as string;
  if (values['webhook_secret']) program.webhookSecret = values['webhook_secret'] as string;
  return program;
}

/** The expanded keys' values for one instance (entries keep where they were written). */
function withInstance(entries: Map<string, ConfigEntry>, instance: number): Map<string, ConfigEntry> {
  for (const [key, entry] of entries) {
    if (!INSTANCE_EXPANDED_KEYS.has(key)) continue;
    const value = expandInstanceFields(entry.value, instance);
    if (value !== entry.value) entries.set(key, { ...entry, value });
  }
  return entries;
}

/** N copies sharing a pidfile would be one program; sharing a log is allowed when said so (shared_stdout). */
function checkVariesWithInstance(entries: Map<string, ConfigEntry>, values: Record<string, unknown>, problems: ConfigProblems): void {
  const keys = values['shared_stdout'] ? ['pidfile'] : ['pidfile', 'stdout', 'stderr'];
  for (const key of keys) {
    const entry = entries.get(key);
    if (!entry || entry.value === '' || entry.value === 'stdout' || hasInstanceField(entry.value)) continue;
    const hint =
      key === 'pidfile'
        ? 'put %(instance)d in it, e.g. /run/NAME-%(instance)d.pid'
        : 'put %(instance)d in it, or set shared_stdout = True to have every instance append to it';
    problems.entryError(entry, `is the same for every instance (instances = ${values['instances']})`, hint);
  }
}

function resourceLimits(values: Record<string, unknown>): ResourceLimits {
  const limits: ResourceLimits = {};
  for (const [key, resource] of Object.entries(RESOURCE_LIMIT_KEYS)) {
    if (values[key] !== undefined) limits[resource] = parseResourceLimit(resource, values[key] as string) as ResourceLimit;
  }
  return limits;
}

/** Later entries win, key by key; insertion order is kept. */
function mergeByKey(base: Iterable<ConfigEntry>, overrides: Iterable<ConfigEntry>): Map<string, ConfigEntry> {
  const merged = new Map<string, ConfigEntry>();
  for (const entry of base) merged.set(entry.key, entry);
  for (const entry of overrides) merged.set(entry.key, entry);
  return merged;
}

function dropTrailingAmpersand(entry: ConfigEntry, problems: ConfigProblems): string {
  const command = entry.value.trimEnd();
  if (!/[^&\\]&$|^&$/.test(command)) return command;
  problems.warn({
    file: entry.file,
    line: entry.line,
    section: entry.section,
    key: entry.key,
    message: 'the trailing "&" was dropped: usrsvc runs the program in the background itself',
    hint: 'remove the "&"',
  });
  return command.slice(0, -1).trimEnd();
}

function proctitleRe(
  command: string,
  useShell: boolean,
  words: readonly string[],
  entries: Map<string, ConfigEntry>,
  problems: ConfigProblems,
): { regex: RegExp; source: string } | undefined {
  const written = entries.get('proctitle_re');
  if (written && written.value !== '') {
    try {
      return { regex: translatePythonRegex(written.value), source: written.value };
    } catch (error) {
      problems.entryError(written, (error as Error).message, 'write a Python regular expression that JavaScript can run');
      return undefined;
    }
  }
  try {
    const source = defaultProctitleRe(command, useShell, words);
    return { regex: translatePythonRegex(source), source };
  } catch (error) {
    problems.entryError(
      entries.get('command')!,
      `cannot derive proctitle_re from the part after the last "&&": ${(error as Error).message}`,
      'set proctitle_re',
    );
    return undefined;
  }
}

function checkFolder(entry: ConfigEntry, file: string, context: ProgramContext): void {
  const folder = path.dirname(file);
  if (!context.folderExists(folder)) {
    context.problems.entryError(entry, `the folder ${folder} does not exist`, 'create it, or choose a file in an existing folder');
  }
}

export function makeFolderCheck(check: (folder: string) => boolean = folderExists): (folder: string) => boolean {
  const known = new Map<string, boolean>();
  return (folder) => {
    let exists = known.get(folder);
    if (exists === undefined) {
      exists = check(folder);
      known.set(folder, exists);
    }
    return exists;
  };
}
