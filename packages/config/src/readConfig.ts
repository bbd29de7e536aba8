import fs from 'node:fs';
import path from 'node:path';
import { type ConfigError, ConfigErrors } from './ConfigError.js';
import { ConfigProblems } from './ConfigProblems.js';
import { checkDependencyGraph } from './dependencyGraph.js';
import { closestMatch } from './didYouMean.js';
import { type ConfigInput, fileStamp, folderExists, listingOf } from './configInputs.js';
import { listConfigDir } from './listConfigDir.js';
import { mainConfigPath } from './mainConfigPath.js';
import { type ConfigSection, type ParsedConfigFile, parseConfigobj } from './parseConfigobj.js';
import { monitoringKeyRules } from './parseMonitoring.js';
import type { DefaultSettingsConfig, ProgramConfig, ReadConfigOptions, UsrsvcConfig } from './types.js';
import { validateDefaultSettings } from './validateDefaultSettings.js';
import { validateMain } from './validateMain.js';
import { makeFolderCheck } from './validateProgram.js';
import { validateInstances } from './validateInstances.js';
import { resolveInstanceDependencies } from './instanceDependencies.js';

/**
 * Reads the main config and every *.cfg in its config_dir, validates all of it, and returns
 * programs with every setting resolved. Throws ConfigErrors listing every problem found.
 */
export function readConfig(options: ReadConfigOptions = {}): UsrsvcConfig {
  const env = options.env ?? process.env;
  const problems = new ConfigProblems();
  const mainFile = mainConfigPath(options);
  if (!mainFile) {
    problems.error('HOME is not set, so the main config cannot be found', {
      file: '$HOME/usrsvc.cfg',
      hint: 'set HOME, USRSVC_CONFIG, or pass a path',
    });
    throw new ConfigErrors(problems.errors);
  }

  const inputs = options.inputs;
  const mainParsed = readConfigFile(mainFile, problems, true, inputs);
  const mainSections = mainParsed?.sections.filter((section) => section.name === 'Main') ?? [];
  const mainSection = mainSections[0];
  if (mainParsed && !mainSection) {
    problems.error('missing the [Main] section', { file: mainFile, hint: 'add [Main] with at least pidfile = ...' });
  }
  for (const duplicate of mainSections.slice(1)) {
    problems.error(`duplicate [Main] section (first on line ${mainSection!.line})`, {
      file: duplicate.file,
      line: duplicate.line,
      section: 'Main',
    });
  }
  if (!mainParsed || !mainSection) throw new ConfigErrors(problems.errors);

  const home = env.HOME ?? path.dirname(mainFile);
  const main = validateMain(mainSection, problems, home);
  const files = [mainFile];
  const parsedFiles = [mainParsed];
  if (main.configDir) {
    try {
      const listed = inputs ? listingOf(main.configDir) : listConfigDir(main.configDir);
      if (inputs) inputs.push({ kind: 'listing', path: main.configDir, files: listed });
      if (typeof listed === 'string') throw new Error(listed);
      for (const file of listed) {
        if (file === mainFile) continue;
        const parsed = readConfigFile(file, problems, false, inputs);
        if (parsed) parsedFiles.push(parsed);
        files.push(file);
      }
    } catch (error) {
      const entry = mainSection.entries.get('config_dir')!;
      problems.entryError(entry, (error as Error).message, 'create the folder or fix config_dir');
    }
  }

  const { defaultSections, programSections } = classifySections(parsedFiles, mainFile, problems);
  const monitoringRules = monitoringKeyRules(options.monitoringKeys, main.monitorPlugins);
  const defaults = new Map<string, DefaultSettingsConfig>();
  for (const [name, section] of defaultSections) {
    defaults.set(name, validateDefaultSettings(name, section, problems, monitoringRules));
  }
  const programs = new Map<string, ProgramConfig>();
  const context = { problems, defaultSettings: defaultSections, monitoringRules, folderExists: makeFolderCheck(inputs && ((folder: string) => {
    const exists = folderExists(folder);
    inputs.push({ kind: 'folder', path: folder, exists });
    return exists;
  })) };
  for (const [name, section] of programSections) {
    for (const program of validateInstances(name, section, context)) programs.set(program.name, program);
  }

  resolveInstanceDependencies(programs, problems);
  checkDependencyGraph(programs, problems);
  if (problems.errors.length > 0) throw new ConfigErrors(inReadingOrder(problems.errors, files));
  return { main, programs, defaults, files, warnings: problems.warnings };
}

function readConfigFile(file: string, problems: ConfigProblems, isMain: boolean, inputs: ConfigInput[] | undefined): ParsedConfigFile | undefined {
  let text: string;
  // Stamped before it is read: a write in between makes the stamp stale, never the text.
  if (inputs) inputs.push({ kind: 'file', path: file, ...fileStamp(file) });
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES'
          ? 'the file cannot be read (permission denied)'
          : `the file cannot be read: ${(error as Error).message}`;
    problems.error(detail, {
      file,
      ...(isMain ? { hint: 'create it with a [Main] section, or set USRSVC_CONFIG' } : {}),
    });
    return undefined;
  }
  const parsed = parseConfigobj(text, file);
  problems.addAll(parsed.errors);
  return parsed;
}

/** Sorts sections into DefaultSettings and Programs by name; reports duplicates, warns about the rest. */
function classifySections(parsedFiles: ParsedConfigFile[], mainFile: string, problems: ConfigProblems) {
  const defaultSections = new Map<string, ConfigSection>();
  const programSections = new Map<string, ConfigSection>();
  for (const parsed of parsedFiles) {
    for (const entry of parsed.topLevel) {
      problems.warn({
        file: entry.file,
        line: entry.line,
        section: '',
        key: entry.key,
        message: 'ignored: the key is outside any section',
        hint: 'move it into a [Main], [Program:NAME] or [DefaultSettings:NAME] section',
      });
    }
    for (const section of parsed.sections) {
      const [kind, ...rest] = section.name.split(':');
      const name = rest.join(':').trim();
      if (section.name === 'Main') {
        if (parsed.file !== mainFile) {
          problems.warn({
            file: section.file,
            line: section.line,
            section: 'Main',
            message: `ignored: [Main] is only read from the main config ${mainFile}`,
          });
        }
      } else if ((kind === 'Program' || kind === 'DefaultSettings') && rest.length > 0) {
        const sections = kind === 'Program' ? programSections : defaultSections;
        const where = { file: section.file, line: section.line, section: section.name };
        const first = sections.get(name);
        if (!name) {
          problems.error(`[${kind}:] has no name`, { ...where, hint: `write [${kind}:NAME]` });
        } else if (kind === 'Program' && name.includes('@')) {
          problems.error(`[Program:${name}]: a program name cannot contain "@"`, {
            ...where,
            hint: 'NAME@k names the instances of a program with "instances = N"; rename the program',
          });
        } else if (first) {
          problems.error(`duplicate [${kind}:${name}]: first defined in ${first.file}:${first.line}`, {
            ...where,
            hint: `rename one of them; ${kind} names must be unique across all files`,
          });
        } else {
          sections.set(name, section);
        }
      } else {
        problems.warn({
          file: section.file,
          line: section.line,
          section: section.name,
          message: 'ignored: unknown section',
          hint: unknownSectionHint(kind!, rest),
        });
      }
    }
  }
  return { defaultSections, programSections };
}

function unknownSectionHint(kind: string, rest: string[]): string {
  const suggestion = closestMatch(kind, rest.length > 0 ? ['Program', 'DefaultSettings'] : ['Main']);
  if (suggestion) return `did you mean [${[suggestion, ...rest].join(':')}]?`;
  return 'sections are [Main], [Program:NAME] and [DefaultSettings:NAME]';
}

/** Errors by file (in the order read) and line, so a person reads them top to bottom. */
function inReadingOrder(errors: ConfigError[], files: string[]): ConfigError[] {
  const fileOrder = (error: ConfigError) => files.indexOf(error.file);
  return [...errors].sort((a, b) => fileOrder(a) - fileOrder(b) || (a.line ?? 0) - (b.line ?? 0));
}
