import fs from 'node:fs';
import path from 'node:path';
import { describeSourceRef, ImportParseError, type ImportResult, importConfig, SOURCE_KINDS, type SourceKind } from '@usrsvc/import';
import { ReturnCodes } from '@usrsvc/launcher';
import parseArgs from 'yargs-parser';
import { loadConfig } from '@usrsvc/cli-actions';
import type { Printer } from '@usrsvc/cli-actions';

export const IMPORT_USAGE = `usrsvc import supervisord|pm2|procfile|process-compose FILE... [options]

Writes one usrsvc .cfg per program into DIR (never over an existing file) and reports, for each
source setting, the usrsvc key it became or why it was not mapped.

  --to DIR              where to write (default: config_dir of the main config)
  --dry-run             report and print the files, write nothing
  --priority-as-order   supervisord: priorities become depends_on (each level after the one before)
  --env NAME            pm2: use env_NAME over env (as "pm2 start --env NAME")
  --port-base N         Procfile: $PORT of the first program (default 5000, +100 per program)
  --config FILE         main config (default $USRSVC_CONFIG or $HOME/usrsvc.cfg)

Exit codes: 0 everything mapped, 1 some settings were not mapped (or a file already existed),
130 a source (or the main config) cannot be parsed.`;

/** `usrsvc import KIND FILE...`: loaded only for this command. */
export async function runImport(argv: readonly string[], printer: Printer, env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseArgs([...argv], {
    boolean: ['dry-run', 'priority-as-order', 'help', 'debug'],
    string: ['to', 'env', 'config', 'port-base'],
    alias: { help: ['h'] },
    configuration: { 'camel-case-expansion': false, 'parse-positional-numbers': false },
  });
  const known = new Set(['_', '--', 'dry-run', 'priority-as-order', 'help', 'h', 'debug', 'to', 'env', 'config', 'port-base']);
  const unknown = Object.keys(args).filter((key) => !known.has(key));
  if (args.help) {
    printer.out(IMPORT_USAGE);
    return ReturnCodes.HELP_MESSAGE;
  }
  const [, kind, ...files] = args._.map(String);
  const usage = (message: string) => {
    printer.err(`${IMPORT_USAGE}\n\n${message}`);
    return ReturnCodes.GENERAL_FAILURE;
  };
  if (unknown.length > 0) return usage(`Unknown option: --${unknown[0]}`);
  if (!kind || !(SOURCE_KINDS as readonly string[]).includes(kind)) return usage(`Expected one of ${SOURCE_KINDS.join(', ')}${kind ? `, not ${JSON.stringify(kind)}` : ''}.`);
  if (files.length === 0) return usage('Name at least one file to import.');
  const portBase = args['port-base'] === undefined ? undefined : Number(args['port-base']);
  if (portBase !== undefined && !(Number.isInteger(portBase) && portBase > 0 && portBase < 65536)) return usage('--port-base takes a port number.');

  let dir = typeof args.to === 'string' && args.to !== '' ? path.resolve(args.to) : undefined;
  // Programs configured already (in config_dir): an imported one of the same name would make it a duplicate.
  let configured = new Map<string, string>();
  if (!dir) {
    const config = loadConfig(typeof args.config === 'string' ? args.config : undefined, env, printer);
    if (!config) return ReturnCodes.INVALID_CONFIG;
    dir = config.main.configDir;
    if (!dir) return usage('The main config has no config_dir: pass --to DIR.');
    // By section name: the instances worker@0, worker@1 are [Program:worker].
    configured = new Map([...config.programs.values()].map((program) => [program.instanceOf ?? program.name, `${program.file}:${program.line}`]));
  }

  let result: ImportResult;
  try {
    result = await importConfig(kind as SourceKind, files, {
      env,
      priorityAsOrder: args['priority-as-order'] === true,
      ...(typeof args.env === 'string' ? { pm2Env: args.env } : {}),
      ...(portBase !== undefined ? { portBase } : {}),
      folderExists: (folder) => fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory() ?? false,
    });
  } catch (error) {
    if (error instanceof ImportParseError) {
      printer.err(`usrsvc import: ${error.message}`);
      return ReturnCodes.INVALID_CONFIG;
    }
    throw error;
  }

  for (const line of result.report) {
    const outcome = 'mapped' in line.outcome ? `-> ${line.outcome.mapped}` : `-> not mapped: ${line.outcome.notMapped}`;
    const program = line.program === '' ? '' : `${line.program}: `;
    printer.out(`${program}${describeSourceRef(line.from)} ${outcome}${line.note ? ` (${line.note})` : ''}`);
  }
  const dryRun = args['dry-run'] === true;
  let skipped = 0;
  for (const program of result.programs) {
    const file = path.join(dir, `${program.name}.cfg`);
    const already = configured.get(program.name);
    if (already && !fs.existsSync(file)) {
      skipped += 1;
      printer.err(`usrsvc import: ${program.name} is configured already (${already}): ${file} not written`);
      continue;
    }
    if (dryRun) {
      printer.out(`\n(dry run) ${file}:\n${program.text}`);
      continue;
    }
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const folder of program.folders) fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(file, program.text, { flag: 'wx' });
      printer.out(`wrote ${file}`);
    } catch (error) {
      skipped += 1;
      const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
      printer.err(`usrsvc import: ${exists ? `${file} exists: not overwritten` : `cannot write ${file}: ${(error as Error).message}`}`);
    }
  }
  const unmapped = result.report.filter((line) => 'notMapped' in line.outcome).length;
  printer.out(
    `${result.programs.length} program(s), ${result.report.length - unmapped} setting(s) mapped, ${unmapped} not mapped${dryRun ? ', nothing written (dry run)' : ''}`,
  );
  return result.complete && skipped === 0 ? ReturnCodes.SUCCESS : ReturnCodes.GENERAL_FAILURE;
}
